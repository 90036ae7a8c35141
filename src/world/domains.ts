// Every domain of the world, loaded for what it declares: its state (platform/state.ts) and
// the kinds of task it runs (platform/tasks.ts). Whoever makes a World imports this first;
// the world itself imports no domain.
import './accounts.js';
import './cis.js';
import './code-security.js';
import './configuration.js';
import './delegation.js';
import './enablement.js';
import './filters.js';
import './finding-map.js';
import './iam.js';
import './inventory.js';
import './organizations.js';
import './reports.js';
import './sbom.js';
import './scanner.js';
import './settings.js';
import './tags.js';
import './usage.js';

// Every domain of the world, loaded for what it declares: its state (platform/state.ts) and
// the kinds of task it runs (platform/tasks.ts). Whoever makes a World imports this first;
// the world itself imports no domain.
import './accounts/accounts.js';
import './cis/scans.js';
import './code-security/integrations.js';
import './code-security/scans.js';
import './code-security/state.js';
import './accounts/configuration.js';
import './accounts/delegation.js';
import './accounts/enablement.js';
import './findings/filters.js';
import './findings/finding-map.js';
import './findings/lifecycle.js';
import './accounts/iam.js';
import './inventory/inventory.js';
import './accounts/organizations.js';
import './findings/reports.js';
import './findings/sbom.js';
import './scanning/coverage.js';
import './accounts/settings.js';
import './accounts/tags.js';
import './accounts/usage.js';

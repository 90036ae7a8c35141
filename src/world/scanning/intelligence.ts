// What Inspector's vulnerability intelligence says of a CVE (BatchGetFindingDetails,
// SearchVulnerabilities), built only from the facts of the data set: the CISA KEV listing,
// public exploit tools, ATT&CK techniques and exploitation dates (seeds/exploits.json), the
// EPSS score (seeds/epss.json). AWS's riskScore is left out: AWS does not document how it
// is computed, so no honest value can be derived.
import type { VulnerabilityCatalog } from './vulnerabilities.js';

const day = (date: string): Date => new Date(`${date}T00:00:00Z`);

interface VulnerabilityIntelligence {
  cisaData?: { dateAdded: Date; dateDue?: Date; action?: string };
  exploitObserved?: { firstSeen?: Date; lastSeen?: Date };
  tools?: string[];
  ttps?: string[];
  evidences?: { evidenceRule: string; evidenceDetail: string }[];
  epssScore?: number;
  /** The exploit sources' pages, for referenceUrls. */
  references: string[];
}

export function intelligenceOf(catalog: VulnerabilityCatalog, id: string): VulnerabilityIntelligence {
  const entry = catalog.get(id);
  const exploit = catalog.exploitOf(id);
  const added = exploit?.cisa?.dateAdded ?? entry?.exploit.cisaKevDateAdded;
  const cisaData = added
    ? {
        dateAdded: day(added),
        ...(exploit?.cisa?.dateDue ? { dateDue: day(exploit.cisa.dateDue) } : {}),
        ...(exploit?.cisa?.action ? { action: exploit.cisa.action } : {}),
      }
    : undefined;
  const exploitObserved =
    exploit?.firstSeen || exploit?.lastSeen
      ? { ...(exploit.firstSeen ? { firstSeen: day(exploit.firstSeen) } : {}), ...(exploit.lastSeen ? { lastSeen: day(exploit.lastSeen) } : {}) }
      : undefined;
  // Evidence restates the facts above, each with where it comes from.
  const evidences = [
    ...(added ? [{ evidenceRule: 'CISA Known Exploited Vulnerabilities catalog', evidenceDetail: `Listed as exploited in the wild on ${added}.` }] : []),
    ...(exploit?.tools ?? []).map((tool) => ({ evidenceRule: 'Public exploit tool', evidenceDetail: tool })),
  ];
  const epssScore = catalog.epssOf(id);
  return {
    ...(cisaData ? { cisaData } : {}),
    ...(exploitObserved ? { exploitObserved } : {}),
    ...(exploit?.tools?.length ? { tools: [...exploit.tools] } : {}),
    ...(exploit?.ttps?.length ? { ttps: [...exploit.ttps] } : {}),
    ...(evidences.length ? { evidences } : {}),
    ...(epssScore !== undefined ? { epssScore } : {}),
    references: [...(exploit?.references ?? [])],
  };
}

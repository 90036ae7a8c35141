// The files GetCisScanReport hands out: a CIS scan's results as CSV (one row per check of
// each instance, and one row for an instance with no check results, saying why), or as a
// PDF — a plain, text-only document (Courier, letter pages) built here byte by byte, with
// the scan's summary and each instance's checks. Only ASCII goes into either, so the
// string is the file's bytes.

export interface CisReportRow {
  accountId: string;
  resourceId: string;
  platform: string;
  targetStatus: string;
  targetStatusReason: string;
  checkId: string;
  title: string;
  level: string;
  status: string;
  statusReason: string;
  findingArn: string;
}

export interface CisReportSummary {
  scanArn: string;
  scanName: string;
  scanDate: Date;
  securityLevel: string;
  status: string;
  /** The accounts the report is limited to, when it is. */
  accountIds?: string[];
  generatedAt: Date;
}

const COLUMNS: [string, keyof CisReportRow][] = [
  ['AWS Account Id', 'accountId'],
  ['Resource Id', 'resourceId'],
  ['Platform', 'platform'],
  ['Target Status', 'targetStatus'],
  ['Target Status Reason', 'targetStatusReason'],
  ['Check Id', 'checkId'],
  ['Title', 'title'],
  ['Level', 'level'],
  ['Status', 'status'],
  ['Status Reason', 'statusReason'],
  ['Finding ARN', 'findingArn'],
];

function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

function cell(text: string): string {
  const value = ascii(text);
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function cisReportCsv(rows: CisReportRow[]): string {
  const lines = [COLUMNS.map(([name]) => cell(name)).join(',')];
  for (const row of rows) lines.push(COLUMNS.map(([, key]) => cell(row[key])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

const LINES_PER_PAGE = 66;
const CHARS_PER_LINE = 118;

/** The report's text, line by line. */
function reportLines(summary: CisReportSummary, rows: CisReportRow[]): string[] {
  const counts = { PASSED: 0, FAILED: 0, SKIPPED: 0 } as Record<string, number>;
  for (const row of rows) if (row.status in counts) counts[row.status]!++;
  const resources = [...new Set(rows.map((r) => `${r.accountId}/${r.resourceId}`))];
  const lines = [
    'Amazon Inspector - CIS scan report',
    '',
    `Scan name:       ${summary.scanName}`,
    `Scan ARN:        ${summary.scanArn}`,
    `Scan date:       ${summary.scanDate.toISOString()}`,
    `Security level:  ${summary.securityLevel}`,
    `Scan status:     ${summary.status}`,
    ...(summary.accountIds ? [`Accounts:        ${summary.accountIds.join(', ')}`] : []),
    `Generated:       ${summary.generatedAt.toISOString()}`,
    '',
    `Resources: ${resources.length}   Checks passed: ${counts.PASSED}   failed: ${counts.FAILED}   skipped: ${counts.SKIPPED}`,
  ];
  for (const resource of resources) {
    const own = rows.filter((r) => `${r.accountId}/${r.resourceId}` === resource);
    const first = own[0]!;
    lines.push(
      '',
      `${first.resourceId}  account ${first.accountId}  ${first.platform}  ${first.targetStatus}${first.targetStatusReason ? ` (${first.targetStatusReason})` : ''}`,
    );
    for (const row of own.filter((r) => r.checkId)) lines.push(`  ${row.status.padEnd(7)} ${row.checkId.padEnd(9)} L${row.level.slice(-1)}  ${row.title}`);
  }
  return lines.map((line) => ascii(line).slice(0, CHARS_PER_LINE));
}

function pdfText(line: string): string {
  return line.replace(/[\\()]/g, (c) => `\\${c}`);
}

export function cisReportPdf(summary: CisReportSummary, rows: CisReportRow[]): string {
  const lines = reportLines(summary, rows);
  const pages: string[][] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_PAGE) pages.push(lines.slice(i, i + LINES_PER_PAGE));
  // Objects: 1 catalog, 2 page tree, 3 font, then a page and its content stream per page.
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 4 + i * 2);
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`);
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>');
  pages.forEach((page, i) => {
    const stream = ['BT', '/F1 8 Tf', '11 TL', '36 756 Td', ...page.map((line) => `(${pdfText(line)}) Tj T*`), 'ET'].join('\n');
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageIds[i]! + 1} 0 R >>`);
    objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  });
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return body;
}

// Inspector's EventBridge events, as AWS shapes them: `Inspector2 Finding` when a finding
// is created, changed or closed; `Inspector2 Scan` when a resource's initial scan
// completes; `Inspector2 Coverage` when a resource's scan status changes; `Inspector2
// AutoEnable`, to the delegated administrator, when the member limit keeps an account that
// joins the organization from being enabled automatically. Kept in a log
// (the latest MAX_EVENTS) that the control plane reads and clears, and handed to the
// listeners (delivery sinks) as they happen.
import type { CoveredResource, Finding } from '../findings/documents.js';
import { nextId } from './ids.js';

export interface InspectorEvent {
  version: '0';
  id: string;
  'detail-type': 'Inspector2 Finding' | 'Inspector2 Scan' | 'Inspector2 Coverage' | 'Inspector2 AutoEnable';
  source: 'aws.inspector2';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** The log as saved: the events kept, and how many were ever sent (event ids derive from it). */
export interface SavedEventLog {
  sequence: number;
  events: InspectorEvent[];
}

const MAX_EVENTS = 10_000;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A finding's timestamps as Inspector's events write them: "Wed Sep 04 16:55:38.411 UTC 2024". */
function eventTimestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${two(date.getUTCDate())} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.${String(date.getUTCMilliseconds()).padStart(3, '0')} UTC ${date.getUTCFullYear()}`
  );
}

function withEventTimes(value: unknown): unknown {
  if (value instanceof Date) return eventTimestamp(value);
  if (Array.isArray(value)) return value.map(withEventTimes);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, withEventTimes(v)]),
    );
  }
  return value;
}

/** An event as it is delivered: dates in the finding written as Inspector writes them. */
function render(event: InspectorEvent): InspectorEvent {
  return event['detail-type'] === 'Inspector2 Finding' ? { ...event, detail: withEventTimes(event.detail) as Record<string, unknown> } : event;
}

export class EventLog {
  private readonly events: InspectorEvent[] = [];
  private readonly listeners = new Set<(event: InspectorEvent) => void>();
  private readonly findingListeners = new Set<(region: string, finding: Finding) => void>();
  /** How many events were sent: ids derive from it and what the event names, never from chance. */
  private readonly counter = { sequence: 0 };

  constructor(
    private readonly now: () => Date,
    /** Called when the log changes (the world marks itself changed). */
    private readonly onChange?: () => void,
  ) {}

  private emit(detailType: InspectorEvent['detail-type'], account: string, region: string, resources: string[], detail: Record<string, unknown>): void {
    const time = this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    const event: InspectorEvent = {
      version: '0',
      id: nextId(this.counter, 'event', detailType, account, region, time, ...resources),
      'detail-type': detailType,
      source: 'aws.inspector2',
      account,
      time,
      region,
      resources,
      detail,
    };
    this.events.push(event);
    // Drop the oldest in batches: shifting a long array once per event costs a large scan dearly.
    if (this.events.length > MAX_EVENTS * 1.1) this.events.splice(0, this.events.length - MAX_EVENTS);
    this.onChange?.();
    if (this.listeners.size) {
      const rendered = render(event);
      for (const listener of this.listeners) listener(rendered);
    }
  }

  finding(region: string, finding: Finding): void {
    // The finding as it is now: its own members copied (a later status change replaces or
    // sets them), its nested parts shared; the event's form is rendered when read.
    this.emit(
      'Inspector2 Finding',
      finding.awsAccountId,
      region,
      finding.resources.map((r) => r.id),
      { ...finding },
    );
    for (const listener of this.findingListeners) listener(region, finding);
  }

  coverage(region: string, resource: CoveredResource): void {
    this.emit('Inspector2 Coverage', resource.accountId, region, [resource.resourceId], {
      scanStatus: { reason: resource.scanStatus?.reason, statusCodeValue: resource.scanStatus?.statusCode },
      scanType: resource.scanType,
      eventTimestamp: this.now().toISOString().replace('Z', '000Z'),
      version: '1.0',
    });
  }

  /** An initial scan completed: the resource's findings counted by severity. */
  scan(region: string, resource: CoveredResource, findings: Finding[]): void {
    const count = (severity: string) => findings.filter((f) => f.severity === severity).length;
    const image = resource.resourceType === 'AWS_ECR_CONTAINER_IMAGE' ? /^(.*)\/(sha256:[a-f0-9]{64})$/.exec(resource.resourceId) : null;
    this.emit('Inspector2 Scan', resource.accountId, region, [resource.resourceId], {
      'scan-status': 'INITIAL_SCAN_COMPLETE',
      'finding-severity-counts': { CRITICAL: count('CRITICAL'), HIGH: count('HIGH'), MEDIUM: count('MEDIUM'), TOTAL: findings.length },
      ...(resource.resourceType === 'AWS_EC2_INSTANCE' ? { 'instance-id': resource.resourceId } : {}),
      ...(image ? { 'repository-name': image[1], 'image-digest': image[2], 'image-tags': resource.resourceMetadata?.ecrImage?.tags ?? [] } : {}),
      version: '1.0',
    });
  }

  /**
   * Auto-enable failed for an account joining the organization: sent to the delegated
   * administrator's account. AWS's example names no resource; EventBridge's envelope always
   * has the list, here empty (https://docs.aws.amazon.com/inspector/latest/user/eventbridge-integration.html#event-auto-enable).
   */
  autoEnableFailed(region: string, delegatedAdminAccountId: string, reason: string): void {
    this.emit('Inspector2 AutoEnable', delegatedAdminAccountId, region, [], { version: '1.0.0', AutoEnableStatus: 'Failed', Reason: reason });
  }

  /** The latest MAX_EVENTS events, oldest first. */
  list(): InspectorEvent[] {
    return this.events.slice(-MAX_EVENTS).map(render);
  }

  /** The log as kept (for a snapshot): finding details not rendered yet, and the id counter. */
  save(): SavedEventLog {
    return { sequence: this.counter.sequence, events: this.events.slice(-MAX_EVENTS) };
  }

  /**
   * Replaces the log by a saved one (a restart); listeners are not called again. A snapshot
   * written before the counter was saved holds the events alone: counting goes on after them.
   */
  restore(saved: SavedEventLog | InspectorEvent[]): void {
    const events = Array.isArray(saved) ? saved : saved.events;
    const sequence = Array.isArray(saved) ? undefined : saved.sequence;
    this.events.length = 0;
    for (const event of events) this.events.push(event);
    this.counter.sequence = Number.isSafeInteger(sequence) && (sequence as number) >= 0 ? (sequence as number) : events.length;
  }

  /** Forgets the events, and, with `counter`, how many were sent (a world reset). */
  clear(counter = false): void {
    this.events.length = 0;
    if (counter) this.counter.sequence = 0;
    this.onChange?.();
  }

  /**
   * Calls `listener` with every finding document as it is stored from now on (created,
   * changed, suppressed or unsuppressed, closed), dates as dates; returns how to stop.
   */
  subscribeFindings(listener: (region: string, finding: Finding) => void): () => void {
    this.findingListeners.add(listener);
    return () => this.findingListeners.delete(listener);
  }

  /** Calls `listener` with every event from now on; returns how to stop. */
  subscribe(listener: (event: InspectorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

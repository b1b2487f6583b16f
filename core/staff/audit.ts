// Every staff action is audited: to the structured log and memory (the staff panel's recent list)
// and, durably, through the outbox to the hub (OutboxAuditSink).
import type { Logger } from '../log/logger.ts';
import type { Outbox } from '../outbox/outbox.ts';

export interface AuditRecord {
  at: string;
  action: string;
  outcome: 'ok' | 'denied' | 'failed';
  detail?: string;
  /** Who acted: staff at the kiosk (the PIN role, default) or central IT through a hub command. */
  actor?: 'kiosk-pin' | 'hub-admin';
}

export interface AuditSink {
  record(entry: AuditRecord): void;
}

export class LogAuditSink implements AuditSink {
  readonly entries: AuditRecord[] = [];
  constructor(protected readonly logger?: Logger) {}

  record(entry: AuditRecord): void {
    this.entries.push(entry);
    if (this.entries.length > 1000) this.entries.shift();
    this.logger?.info({ audit: true, action: entry.action, outcome: entry.outcome, detail: entry.detail }, 'staff action');
  }
}

/** Staff sign in with the kiosk's PIN, not as named people: the audit names the role. */
const STAFF_ID = 'kiosk-pin';

export class OutboxAuditSink extends LogAuditSink {
  constructor(
    logger: Logger | undefined,
    private readonly outbox: Outbox,
  ) {
    super(logger);
  }

  override record(entry: AuditRecord): void {
    super.record(entry);
    try {
      this.outbox.enqueue('audit', {
        staffId: entry.actor ?? STAFF_ID,
        action: entry.action.replace(/[^A-Za-z0-9._:-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'unknown',
        outcome: entry.outcome,
        ...(entry.detail ? { detail: entry.detail.slice(0, 2000) } : {}),
      });
    } catch (err) {
      // The action itself already happened (or was refused): a full disk must not hide it from the log.
      this.logger?.error({ err: (err as Error).message, action: entry.action }, 'audit entry could not be queued');
    }
  }
}

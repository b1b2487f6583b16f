// Every staff action is audited. The durable path is the outbox (delivered to the hub); until the
// outbox module is wired in (core/outbox), audit records go to the structured log and memory.
import type { Logger } from '../log/logger.ts';

export interface AuditRecord {
  at: string;
  action: string;
  outcome: 'ok' | 'denied' | 'failed';
  detail?: string;
}

export interface AuditSink {
  record(entry: AuditRecord): void;
}

export class LogAuditSink implements AuditSink {
  readonly entries: AuditRecord[] = [];
  constructor(private readonly logger?: Logger) {}

  record(entry: AuditRecord): void {
    this.entries.push(entry);
    if (this.entries.length > 1000) this.entries.shift();
    this.logger?.info({ audit: true, action: entry.action, outcome: entry.outcome, detail: entry.detail }, 'staff action');
  }
}

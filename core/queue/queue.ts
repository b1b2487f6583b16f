// Queue numbers on the kiosk. Online, the hub gives the branch's next number (A012) and how many
// wait before it. When the hub cannot be reached, the kiosk gives a number of its own from a
// per-day counter in its SQLite file, with its offline letter after the service letter (AD005), so
// it can never equal a hub number or another kiosk's; the letter comes from the hub with the first
// online number and is remembered. Offline numbers are not reported to the hub later: the counter
// staff see them on the printed ticket, and the hub's sequence stays what it called. Waiting for an
// offline number is an estimate (the last count the hub gave today plus this kiosk's offline numbers).
// Every number adds a 'queue-number' receipt to the session's receipt book.
import { QUEUE_SERVICE_LETTERS, QueueTicket } from '../../contracts/queue.ts';
import { KioskApiError, type QueueService } from '../../contracts/kiosk-api.ts';
import type { Db } from '../db/open.ts';
import type { Logger } from '../log/logger.ts';
import type { HubEndpoint } from '../hub-client/http.ts';
import { hubJson } from '../hub-client/json.ts';
import { queueReceipt, receiptTime } from '../devices/receipts-data.ts';
import type { ReceiptBook } from '../session/receipt-book.ts';
import type { CustomerSession } from '../session/session.ts';

export interface QueueDeps {
  db: Db;
  endpoint: HubEndpoint | null;
  session: CustomerSession;
  receipts?: ReceiptBook;
  branchName?: string;
  /** Letter used offline before the hub ever gave one (a kiosk with no hub: alone in its branch). */
  fallbackLetter?: string;
  now?: () => Date;
  logger?: Logger;
}

export interface QueueTaken {
  number: string;
  waiting: number;
  reference: string;
  queued: boolean;
}

const SERVICE_TEXT: Record<QueueService, string> = { general: '综合业务 General', orders: '订单业务 Orders', cash: '现金业务 Cash' };

/** The kiosk's own calendar day (local time), when numbers restart. */
const localDay = (d: Date) => receiptTime(d).slice(0, 10);

export class KioskQueue {
  private readonly now: () => Date;

  constructor(private readonly deps: QueueDeps) {
    this.now = deps.now ?? (() => new Date());
    // Tables: KB migration 0120 (queue_local, queue_meta).
  }

  async take(service: QueueService): Promise<QueueTaken> {
    this.deps.session.touch();
    let taken: QueueTaken & { issuedAt: Date };
    try {
      const t = QueueTicket.parse(await hubJson(this.deps.endpoint, 'queue.take', 'queue.take', { body: { service } }));
      this.remember(t);
      taken = { number: t.number, waiting: t.waiting, reference: `Q-${t.day.replace(/-/g, '')}-${t.number}`, queued: false, issuedAt: new Date(t.issuedAt) };
    } catch (err) {
      const offline = err instanceof KioskApiError && (err.code === 'offline' || (err.code === 'not_available' && !this.deps.endpoint));
      if (!offline) throw err;
      taken = this.takeLocal(service);
      this.deps.logger?.info({ service }, 'queue number issued by the kiosk (hub unreachable)');
    }
    this.deps.receipts?.add(
      taken.reference,
      queueReceipt({ queueNumber: taken.number, waiting: taken.waiting, issuedAt: taken.issuedAt, branchName: this.deps.branchName ?? '', service: SERVICE_TEXT[service], qr: taken.reference }),
    );
    return { number: taken.number, waiting: taken.waiting, reference: taken.reference, queued: taken.queued };
  }

  /** What the hub said: the offline letter, and today's waiting count as the offline estimate. */
  private remember(t: QueueTicket): void {
    const db = this.deps.db;
    db.transaction(() => {
      db.prepare("INSERT INTO queue_meta (key, value) VALUES ('offline_letter', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(t.offlineLetter);
      db.prepare(
        'INSERT INTO queue_local (day, service, last_number, hub_waiting) VALUES (?, ?, 0, ?) ON CONFLICT (day, service) DO UPDATE SET hub_waiting = excluded.hub_waiting',
      ).run(localDay(this.now()), t.service, t.waiting + 1);
    })();
  }

  private takeLocal(service: QueueService): QueueTaken & { issuedAt: Date } {
    const db = this.deps.db;
    const at = this.now();
    const day = localDay(at);
    const letter = (db.prepare("SELECT value FROM queue_meta WHERE key = 'offline_letter'").get() as { value: string } | undefined)?.value ?? this.deps.fallbackLetter ?? 'Z';
    // One statement bumps and reads the counter: two takes can never share a number.
    const row = db
      .prepare(
        'INSERT INTO queue_local (day, service, last_number) VALUES (?, ?, 1) ON CONFLICT (day, service) DO UPDATE SET last_number = last_number + 1 RETURNING last_number, hub_waiting',
      )
      .get(day, service) as { last_number: number; hub_waiting: number | null };
    const number = `${QUEUE_SERVICE_LETTERS[service]}${letter}${String(row.last_number).padStart(3, '0')}`;
    return { number, waiting: (row.hub_waiting ?? 0) + row.last_number - 1, reference: `Q-${day.replace(/-/g, '')}-${number}`, queued: true, issuedAt: at };
  }
}

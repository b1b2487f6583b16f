// Queue numbers for a branch's counters. One counter row per (branch, service, day), bumped with a
// single INSERT … ON CONFLICT DO UPDATE … RETURNING: the database serialises concurrent takes on
// that row (SQLite's write lock; PostgreSQL's row lock), so two kiosks never get the same number.
// `called` is how far the counters have called; waiting = taken − called − 1 (the people ahead).
// Each kiosk also gets an offline letter, unique in its branch, for numbers it issues without us.
import { sql, type Kysely } from 'kysely';
import { OFFLINE_LETTERS, QUEUE_SERVICE_LETTERS, type QueueTicket } from '../../contracts/queue.ts';
import type { QueueService } from '../../contracts/kiosk-api.ts';
import { nowIso, type HubDb, type HubTx } from '../db/open.ts';

interface QueueDb {
  queue_counters: { branch: string; service: string; day: string; last_number: number; called: number; updated_at: string };
  queue_kiosk_letters: { branch: string; kiosk_id: string; letter: string; created_at: string };
}

const q = (db: HubTx) => db as unknown as Kysely<QueueDb>;

export interface QueueOptions {
  /** IANA time zone whose calendar day numbers restart in (default Asia/Shanghai). */
  timeZone?: string;
  now?: () => Date;
}

/** YYYY-MM-DD of `at` in `timeZone`. */
export function branchDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export const formatNumber = (letter: string, n: number) => `${letter}${String(n).padStart(3, '0')}`;

/** Offline letters in the order they are given out: single letters, then pairs. */
function* letterCandidates(): Generator<string> {
  for (const a of OFFLINE_LETTERS) yield a;
  for (const a of OFFLINE_LETTERS) for (const b of OFFLINE_LETTERS) yield a + b;
}

export class QueueNumbers {
  private readonly timeZone: string;
  private readonly now: () => Date;

  constructor(
    private readonly hub: HubDb,
    options: QueueOptions = {},
  ) {
    this.timeZone = options.timeZone ?? 'Asia/Shanghai';
    // Fails at start-up on a bad zone, not at a customer's number.
    branchDay(new Date(), this.timeZone);
    this.now = options.now ?? (() => new Date());
  }

  async take(kioskId: string, branch: string | null, service: QueueService): Promise<QueueTicket> {
    const at = this.now();
    const day = branchDay(at, this.timeZone);
    const b = branch ?? '';
    return this.hub.write(async (trx) => {
      const row = await q(trx)
        .insertInto('queue_counters')
        .values({ branch: b, service, day, last_number: 1, called: 0, updated_at: at.toISOString() })
        .onConflict((oc) => oc.columns(['branch', 'service', 'day']).doUpdateSet({ last_number: sql`queue_counters.last_number + 1`, updated_at: at.toISOString() }))
        .returning(['last_number', 'called'])
        .executeTakeFirstOrThrow();
      const n = Number(row.last_number);
      const offlineLetter = await this.letterOf(trx, kioskId, b);
      return {
        number: formatNumber(QUEUE_SERVICE_LETTERS[service], n),
        service,
        waiting: Math.max(0, n - Number(row.called) - 1),
        day,
        issuedAt: at.toISOString(),
        offlineLetter,
      };
    });
  }

  /** The kiosk's offline letter in its branch, given out on its first number. */
  private async letterOf(trx: HubTx, kioskId: string, branch: string): Promise<string> {
    const mine = async () => (await q(trx).selectFrom('queue_kiosk_letters').select('letter').where('branch', '=', branch).where('kiosk_id', '=', kioskId).executeTakeFirst())?.letter;
    const known = await mine();
    if (known) return known;
    const taken = new Set((await q(trx).selectFrom('queue_kiosk_letters').select('letter').where('branch', '=', branch).execute()).map((r) => r.letter));
    for (const letter of letterCandidates()) {
      if (taken.has(letter)) continue;
      // Any conflict (another kiosk took this letter meanwhile) → try the next one.
      await q(trx).insertInto('queue_kiosk_letters').values({ branch, kiosk_id: kioskId, letter, created_at: nowIso() }).onConflict((oc) => oc.doNothing()).execute();
      const got = await mine();
      if (got) return got;
    }
    throw new Error('no offline queue letter left in this branch');
  }

  /** A counter calls the next number of a service today; answers the number called (null: nobody waits). */
  async callNext(branch: string | null, service: QueueService): Promise<{ called: string | null; waiting: number }> {
    const day = branchDay(this.now(), this.timeZone);
    const b = branch ?? '';
    return this.hub.write(async (trx) => {
      const row = await q(trx).selectFrom('queue_counters').select(['last_number', 'called']).where('branch', '=', b).where('service', '=', service).where('day', '=', day).executeTakeFirst();
      if (!row || Number(row.called) >= Number(row.last_number)) return { called: null, waiting: 0 };
      const called = Number(row.called) + 1;
      await q(trx).updateTable('queue_counters').set({ called, updated_at: nowIso() }).where('branch', '=', b).where('service', '=', service).where('day', '=', day).execute();
      return { called: formatNumber(QUEUE_SERVICE_LETTERS[service], called), waiting: Number(row.last_number) - called };
    });
  }
}


// Customer identification on the hub. ID numbers and phone numbers are kept only as
// HMAC-SHA256 under the hub's identity secret (HUB_IDENTITY_SECRET, else one generated into the
// database's meta table on first use) plus masked forms for display. A successful identification
// yields a short-lived customer session token scoped to the kiosk that asked; the hub stores only
// its sha256, and the kiosk revokes it when its customer session ends.
import { createHash, createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { idNumberValid, maskIdNumber, maskPhone, type CustomerSessionGrant } from '../../contracts/identity.ts';
import { sql } from 'kysely';
import { metaSecret, nowIso, type HubDb, type HubTx } from '../db/open.ts';

export class DomainError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** For rate_limited: when asking again can succeed. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }
}

/** Sends SMS codes. Plug a gateway by implementing this (see docs/hub-api.md). */
export interface SmsSender {
  /** `phone` is the clear number (only in memory, for the gateway); never log it. */
  send(phone: string, code: string): Promise<void>;
}

/** The default sender: one line in the hub log with the phone masked (development and demos). */
export class LogSmsSender implements SmsSender {
  constructor(private readonly log: (line: string) => void) {}
  async send(phone: string, code: string): Promise<void> {
    this.log(`sms code ${code} for ${maskPhone(phone)}`);
  }
}

export interface IdentityLimits {
  sessionTtlMs: number;
  codeTtlMs: number;
  codeAttempts: number;
  resendCooldownMs: number;
  perPhonePerHour: number;
  perKioskPerHour: number;
}

export const DEFAULT_IDENTITY_LIMITS: IdentityLimits = {
  sessionTtlMs: 15 * 60_000,
  codeTtlMs: 5 * 60_000,
  codeAttempts: 5,
  resendCooldownMs: 60_000,
  perPhonePerHour: 5,
  perKioskPerHour: 60,
};

export interface IdentityOptions {
  sms?: SmsSender;
  limits?: Partial<IdentityLimits>;
  now?: () => number;
  /** Overrides HUB_IDENTITY_SECRET and the meta secret (tests). */
  secret?: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function identitySecret(db: HubTx, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return env.HUB_IDENTITY_SECRET || metaSecret(db, 'identity_secret');
}

/** The identity secret, read (or created) once on first use; tests may pass their own. */
export function secretLoader(hub: HubDb, given?: string): () => Promise<string> {
  let p: Promise<string> | null = given ? Promise.resolve(given) : null;
  return () => (p ??= identitySecret(hub.db));
}

export const keyedHash = (secret: string, kind: 'id' | 'phone', value: string) => createHmac('sha256', secret).update(`${kind}:${value}`).digest('hex');

export class IdentityService {
  readonly limits: IdentityLimits;
  private readonly now: () => number;
  private readonly secret: () => Promise<string>;

  constructor(
    private readonly hub: HubDb,
    private readonly sms: SmsSender,
    options: IdentityOptions = {},
  ) {
    this.limits = { ...DEFAULT_IDENTITY_LIMITS, ...options.limits };
    this.now = options.now ?? Date.now;
    this.secret = secretLoader(hub, options.secret);
  }

  async identifyByIdNumber(kioskId: string, idNumber: string): Promise<CustomerSessionGrant> {
    if (!idNumberValid(idNumber)) throw new DomainError(400, 'bad_request', 'the ID number fails its check character (misread card?)');
    const hash = keyedHash(await this.secret(), 'id', idNumber);
    const customer = await this.hub.db.selectFrom('customers').selectAll().where('id_hash', '=', hash).executeTakeFirst();
    if (!customer) throw new DomainError(404, 'not_found', 'no customer with this ID card');
    return this.grant(kioskId, customer.id, 'idcard', customer.name_masked, customer.id_masked ?? maskIdNumber(idNumber));
  }

  async requestSms(kioskId: string, phone: string): Promise<{ challengeId: string; sent: boolean; resendAfterSec: number }> {
    const t = this.now();
    const phoneHash = keyedHash(await this.secret(), 'phone', phone);
    const L = this.limits;
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const id = randomUUID();
    const customerId = await this.hub.write(async (trx) => {
      // PostgreSQL: one request per phone at a time, so two kiosks asking at once cannot both pass
      // the cool-down (SQLite's write transaction is already exclusive).
      if (this.hub.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(${phoneHash}))`.execute(trx);
      const recent = await trx.selectFrom('sms_challenges').select(['created_at']).where('phone_hash', '=', phoneHash).where('created_at', '>', t - 3_600_000).orderBy('created_at', 'desc').execute();
      const last = recent[0];
      if (last && t - Number(last.created_at) < L.resendCooldownMs) {
        const wait = Math.ceil((L.resendCooldownMs - (t - Number(last.created_at))) / 1000);
        throw new DomainError(429, 'rate_limited', `wait ${wait} s before asking for another code`, wait);
      }
      if (recent.length >= L.perPhonePerHour) {
        throw new DomainError(429, 'rate_limited', 'too many codes for this phone number; try again later', Math.ceil((Number(recent[recent.length - 1]!.created_at) + 3_600_000 - t) / 1000));
      }
      const kioskCount = await trx
        .selectFrom('sms_challenges')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kiosk_id', '=', kioskId)
        .where('created_at', '>', t - 3_600_000)
        .executeTakeFirstOrThrow();
      if (Number(kioskCount.n) >= L.perKioskPerHour) throw new DomainError(429, 'rate_limited', 'too many codes from this kiosk; try again later', 600);
      const customer = await trx.selectFrom('customers').select('id').where('phone_hash', '=', phoneHash).executeTakeFirst();
      await trx
        .insertInto('sms_challenges')
        .values({ id, phone_hash: phoneHash, kiosk_id: kioskId, customer_id: customer?.id ?? null, code_hash: sha256(`${id}:${code}`), created_at: t, expires_at: t + L.codeTtlMs, attempts: 0, closed: 0 })
        .execute();
      return customer?.id ?? null;
    });
    // Unknown numbers get the same answer (no enumeration of customers), but no message.
    if (customerId) await this.sms.send(phone, code);
    return { challengeId: id, sent: true, resendAfterSec: Math.ceil(L.resendCooldownMs / 1000) };
  }

  async verifySms(kioskId: string, challengeId: string, code: string): Promise<CustomerSessionGrant> {
    const t = this.now();
    const outcome = await this.hub.write(async (trx) => {
      const c = await trx.selectFrom('sms_challenges').selectAll().where('id', '=', challengeId).executeTakeFirst();
      if (!c || c.kiosk_id !== kioskId) return { error: new DomainError(404, 'not_found', 'no such code request; ask for a new code') };
      if (Number(c.closed)) return { error: new DomainError(409, 'conflict', 'this code is used up or locked; ask for a new code') };
      if (Number(c.expires_at) <= t) return { error: new DomainError(410, 'expired', 'the code has expired; ask for a new code') };
      const ok = timingSafeEqual(Buffer.from(c.code_hash), Buffer.from(sha256(`${c.id}:${code}`)));
      const attempts = Number(c.attempts) + 1;
      if (!ok) {
        const locked = attempts >= this.limits.codeAttempts;
        await trx.updateTable('sms_challenges').set({ attempts, closed: locked ? 1 : 0 }).where('id', '=', c.id).execute();
        return {
          error: locked
            ? new DomainError(423, 'locked', 'too many wrong codes; ask for a new code')
            : new DomainError(401, 'wrong_code', `wrong code (${this.limits.codeAttempts - attempts} tries left)`),
        };
      }
      await trx.updateTable('sms_challenges').set({ attempts, closed: 1 }).where('id', '=', c.id).execute();
      if (!c.customer_id) return { error: new DomainError(404, 'not_found', 'no customer with this phone number') };
      const customer = await trx.selectFrom('customers').selectAll().where('id', '=', c.customer_id).executeTakeFirstOrThrow();
      return { customer };
    });
    if ('error' in outcome) throw outcome.error;
    const c = outcome.customer;
    return this.grant(kioskId, c.id, 'sms', c.name_masked, c.phone_masked ?? '***');
  }

  private async grant(kioskId: string, customerId: string, method: 'idcard' | 'sms', displayName: string, maskedId: string): Promise<CustomerSessionGrant> {
    const token = randomBytes(32).toString('base64url');
    const id = randomUUID();
    const expiresAt = this.now() + this.limits.sessionTtlMs;
    await this.hub.write(async (trx) => {
      await trx
        .insertInto('customer_sessions')
        .values({ id, token_hash: sha256(token), customer_id: customerId, kiosk_id: kioskId, method, created_at: nowIso(), expires_at: expiresAt, revoked_at: null })
        .execute();
    });
    return {
      session: { id, token, expiresAt: new Date(expiresAt).toISOString() },
      customer: { displayName, maskedId, method, customerRef: customerId },
    };
  }

  /** The customer behind a session token presented by `kioskId`; throws 401 otherwise. */
  async customerOf(kioskId: string, token: string | undefined): Promise<string> {
    if (!token || token.length > 200) throw new DomainError(401, 'unauthorized', 'missing customer session (identify the customer first)');
    const s = await this.hub.db.selectFrom('customer_sessions').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
    if (!s || s.kiosk_id !== kioskId || s.revoked_at || Number(s.expires_at) <= this.now()) {
      throw new DomainError(401, 'unauthorized', 'customer session unknown, expired, revoked or issued to another kiosk');
    }
    return s.customer_id;
  }

  async revoke(kioskId: string, sessionId: string): Promise<void> {
    const r = await this.hub.db
      .updateTable('customer_sessions')
      .set({ revoked_at: nowIso() })
      .where('id', '=', sessionId)
      .where('kiosk_id', '=', kioskId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      const exists = await this.hub.db.selectFrom('customer_sessions').select('kiosk_id').where('id', '=', sessionId).executeTakeFirst();
      if (!exists || exists.kiosk_id !== kioskId) throw new DomainError(404, 'not_found', 'no such customer session');
    }
  }
}

// Fingerprint 1:1 verification on the hub. A template enrolled at the counter (staff mode on a
// kiosk) is kept sealed with AES-256-GCM under a key derived from the identity secret (HKDF), with
// the customer id as associated data so a sealed row cannot be moved to another customer. It leaves
// the hub only inside a challenge: a customer claims an identity by phone number at a kiosk, the hub
// opens a short-lived challenge bound to that kiosk, releases the template to it once per attempt,
// and grants a customer session only when the kiosk reports a match on the sensor.
// Unknown phones and customers without a template get a challenge too, with a decoy template
// derived from the phone's hash (stable, so two challenges cannot tell real from decoy): every
// answer looks the same until the finger fails to match, which is the same refusal either way.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { MAX_TEMPLATE_BYTES } from '../../contracts/fingerprint.ts';
import type { CustomerSessionGrant } from '../../contracts/identity.ts';
import { nowIso, type HubDb, type HubTx } from '../db/open.ts';
import type { HubSchema } from '../db/schema.ts';
import { DomainError, keyedHash, secretLoader, DEFAULT_IDENTITY_LIMITS } from './identity.ts';

export interface FingerprintLimits {
  /** How long a challenge stays open (longer than the kiosk's longest capture wait, 120 s). */
  challengeTtlMs: number;
  /** Release → result rounds per challenge. */
  attemptsPerChallenge: number;
  /** Challenges per phone number per hour, whichever kiosk asks. */
  perPhonePerHour: number;
  perKioskPerHour: number;
  sessionTtlMs: number;
}

export const DEFAULT_FINGERPRINT_LIMITS: FingerprintLimits = {
  challengeTtlMs: 3 * 60_000,
  attemptsPerChallenge: 3,
  perPhonePerHour: 5,
  perKioskPerHour: 60,
  sessionTtlMs: DEFAULT_IDENTITY_LIMITS.sessionTtlMs,
};

export interface FingerprintOptions {
  limits?: Partial<FingerprintLimits>;
  now?: () => number;
  /** Overrides HUB_IDENTITY_SECRET and the meta secret (tests). */
  secret?: string;
}

// The tables of migration 0004, typed here so this module owns its schema.
interface FingerprintTemplatesTable {
  customer_id: string;
  /** version (1) ‖ 12-byte nonce ‖ 16-byte tag ‖ ciphertext */
  sealed: Buffer;
  enrolled_by: string;
  enrolled_at: string;
}
interface FingerprintChallengesTable {
  id: string;
  phone_hash: string;
  kiosk_id: string;
  /** null: unknown phone (a decoy is released) */
  customer_id: string | null;
  /** ms since the epoch */
  created_at: number;
  expires_at: number;
  releases: number;
  results: number;
  failures: number;
  /** 1 once matched or locked */
  closed: number;
}
type FingerprintSchema = HubSchema & { fingerprint_templates: FingerprintTemplatesTable; fingerprint_challenges: FingerprintChallengesTable };
const fp = (db: HubTx) => db as unknown as Kysely<FingerprintSchema>;

const SEAL_VERSION = 1;
const DECOY_BYTES = 512;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The template key: HKDF-SHA256 of the identity secret (a separate key from the HMAC use). */
export function templateKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'lobby-kiosk-hub', 'fingerprint-templates/v1', 32));
}

export function sealTemplate(key: Buffer, customerId: string, template: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`fp:${customerId}`));
  const ct = Buffer.concat([cipher.update(template), cipher.final()]);
  return Buffer.concat([Buffer.from([SEAL_VERSION]), iv, cipher.getAuthTag(), ct]);
}

/** Throws when the row was tampered with, moved to another customer, or sealed under another key. */
export function openTemplate(key: Buffer, customerId: string, sealed: Buffer): Buffer {
  if (sealed.length < 1 + 12 + 16 + 1 || sealed[0] !== SEAL_VERSION) throw new Error('sealed template has an unknown format');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
  decipher.setAAD(Buffer.from(`fp:${customerId}`));
  decipher.setAuthTag(sealed.subarray(13, 29));
  return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
}

/** Stores (or replaces) a customer's sealed template; true when one was replaced. */
export async function putSealedTemplate(trx: HubTx, customerId: string, sealed: Buffer, enrolledBy: string, enrolledAt: string): Promise<boolean> {
  const before = await fp(trx).selectFrom('fingerprint_templates').select('customer_id').where('customer_id', '=', customerId).executeTakeFirst();
  await fp(trx)
    .insertInto('fingerprint_templates')
    .values({ customer_id: customerId, sealed, enrolled_by: enrolledBy, enrolled_at: enrolledAt })
    .onConflict((oc) => oc.column('customer_id').doUpdateSet({ sealed, enrolled_by: enrolledBy, enrolled_at: enrolledAt }))
    .execute();
  return !!before;
}

export async function deleteTemplate(trx: HubTx, customerId: string): Promise<boolean> {
  const r = await fp(trx).deleteFrom('fingerprint_templates').where('customer_id', '=', customerId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Strict base64 → bytes within the template size limits (the schema checked the alphabet). */
export function decodeTemplate(b64: string): Buffer {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 0 || bytes.length > MAX_TEMPLATE_BYTES || bytes.toString('base64') !== b64) {
    bytes.fill(0);
    throw new DomainError(400, 'bad_request', `template must be 1 to ${MAX_TEMPLATE_BYTES} bytes of standard base64`);
  }
  return bytes;
}

const vague = (left: number) =>
  left > 0 ? new DomainError(401, 'no_match', `the fingerprint was not verified (${left} ${left === 1 ? 'try' : 'tries'} left)`) : new DomainError(423, 'locked', 'the fingerprint was not verified; too many tries, start again');

export class FingerprintService {
  readonly limits: FingerprintLimits;
  private readonly now: () => number;
  private readonly secret: () => Promise<string>;

  constructor(
    private readonly hub: HubDb,
    options: FingerprintOptions = {},
  ) {
    this.limits = { ...DEFAULT_FINGERPRINT_LIMITS, ...options.limits };
    this.now = options.now ?? Date.now;
    this.secret = secretLoader(hub, options.secret);
  }

  /** Staff enrolment from `kioskId`: replaces the customer's template if one exists. */
  async enrol(kioskId: string, customerRef: string, templateB64: string): Promise<{ customerRef: string; enrolledAt: string; replaced: boolean }> {
    const template = decodeTemplate(templateB64);
    try {
      const sealed = sealTemplate(templateKey(await this.secret()), customerRef, template);
      const enrolledAt = nowIso();
      const replaced = await this.hub.write(async (trx) => {
        const customer = await trx.selectFrom('customers').select('id').where('id', '=', customerRef).executeTakeFirst();
        if (!customer) throw new DomainError(404, 'not_found', 'no customer with this reference');
        return putSealedTemplate(trx, customerRef, sealed, kioskId, enrolledAt);
      });
      return { customerRef, enrolledAt, replaced };
    } finally {
      template.fill(0);
    }
  }

  /** Removes a customer's template (the customer withdrew consent); false when there was none. */
  async remove(customerRef: string): Promise<boolean> {
    return this.hub.write((trx) => deleteTemplate(trx, customerRef));
  }

  /** Opens a challenge for the customer who owns `phone`; the same answer for unknown phones. */
  async challenge(kioskId: string, phone: string): Promise<{ challengeId: string; expiresAt: string; attemptsLeft: number }> {
    const t = this.now();
    const L = this.limits;
    const phoneHash = keyedHash(await this.secret(), 'phone', phone);
    const id = randomUUID();
    await this.hub.write(async (trx) => {
      // PostgreSQL: one challenge per phone at a time, so two kiosks cannot both pass the limit.
      if (this.hub.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(${`fp:${phoneHash}`}))`.execute(trx);
      const recent = await fp(trx).selectFrom('fingerprint_challenges').select('created_at').where('phone_hash', '=', phoneHash).where('created_at', '>', t - 3_600_000).orderBy('created_at', 'asc').execute();
      if (recent.length >= L.perPhonePerHour) {
        throw new DomainError(429, 'rate_limited', 'too many fingerprint tries for this phone number; try again later', Math.max(1, Math.ceil((Number(recent[0]!.created_at) + 3_600_000 - t) / 1000)));
      }
      const kioskCount = await fp(trx)
        .selectFrom('fingerprint_challenges')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kiosk_id', '=', kioskId)
        .where('created_at', '>', t - 3_600_000)
        .executeTakeFirstOrThrow();
      if (Number(kioskCount.n) >= L.perKioskPerHour) throw new DomainError(429, 'rate_limited', 'too many fingerprint tries from this kiosk; try again later', 600);
      const customer = await trx.selectFrom('customers').select('id').where('phone_hash', '=', phoneHash).executeTakeFirst();
      await fp(trx)
        .insertInto('fingerprint_challenges')
        .values({ id, phone_hash: phoneHash, kiosk_id: kioskId, customer_id: customer?.id ?? null, created_at: t, expires_at: t + L.challengeTtlMs, releases: 0, results: 0, failures: 0, closed: 0 })
        .execute();
    });
    return { challengeId: id, expiresAt: new Date(t + L.challengeTtlMs).toISOString(), attemptsLeft: L.attemptsPerChallenge };
  }

  /** Checks that `kioskId` may act on the challenge now; the row otherwise. */
  private async open(trx: HubTx, kioskId: string, challengeId: string): Promise<FingerprintChallengesTable> {
    const c = await fp(trx).selectFrom('fingerprint_challenges').selectAll().where('id', '=', challengeId).executeTakeFirst();
    // Another kiosk's challenge is "no such challenge": nothing tells it the challenge exists.
    if (!c || c.kiosk_id !== kioskId) throw new DomainError(404, 'not_found', 'no such fingerprint challenge; start again');
    if (Number(c.closed)) throw new DomainError(409, 'conflict', 'this fingerprint challenge is used up or locked; start again');
    if (Number(c.expires_at) <= this.now()) throw new DomainError(410, 'expired', 'the fingerprint challenge has expired; start again');
    return c;
  }

  /** The template for one attempt (base64), to the kiosk that opened the challenge only. */
  async release(kioskId: string, challengeId: string): Promise<{ template: string }> {
    const secret = await this.secret();
    const c = await this.hub.write(async (trx) => {
      const c = await this.open(trx, kioskId, challengeId);
      if (Number(c.releases) > Number(c.results)) throw new DomainError(409, 'conflict', 'the template of this attempt was already released; report its result first');
      if (Number(c.releases) >= this.limits.attemptsPerChallenge) throw new DomainError(423, 'locked', 'no tries left on this challenge; start again');
      await fp(trx).updateTable('fingerprint_challenges').set({ releases: Number(c.releases) + 1 }).where('id', '=', c.id).execute();
      return c;
    });
    const row = c.customer_id
      ? await fp(this.hub.db).selectFrom('fingerprint_templates').select('sealed').where('customer_id', '=', c.customer_id).executeTakeFirst()
      : undefined;
    const plain = row ? openTemplate(templateKey(secret), c.customer_id!, Buffer.from(row.sealed)) : decoyTemplate(secret, c.phone_hash);
    try {
      return { template: plain.toString('base64') };
    } finally {
      plain.fill(0);
    }
  }

  /** The sensor's verdict on the released template; a match (on a real template) yields the grant. */
  async result(kioskId: string, challengeId: string, matched: boolean): Promise<CustomerSessionGrant> {
    const L = this.limits;
    const outcome = await this.hub.write(async (trx) => {
      const c = await this.open(trx, kioskId, challengeId);
      if (Number(c.releases) <= Number(c.results)) throw new DomainError(409, 'conflict', 'no template was released for this attempt');
      const results = Number(c.results) + 1;
      const hasTemplate = c.customer_id
        ? !!(await fp(trx).selectFrom('fingerprint_templates').select('customer_id').where('customer_id', '=', c.customer_id).executeTakeFirst())
        : false;
      if (matched && hasTemplate) {
        await fp(trx).updateTable('fingerprint_challenges').set({ results, closed: 1 }).where('id', '=', c.id).execute();
        const customer = await trx.selectFrom('customers').selectAll().where('id', '=', c.customer_id!).executeTakeFirstOrThrow();
        return { matched: true as const, customer };
      }
      const left = Math.max(0, L.attemptsPerChallenge - results);
      await fp(trx)
        .updateTable('fingerprint_challenges')
        .set({ results, failures: Number(c.failures) + 1, closed: left === 0 ? 1 : 0 })
        .where('id', '=', c.id)
        .execute();
      return { matched: false as const, left };
    });
    if (!outcome.matched) throw vague(outcome.left);
    return this.grant(kioskId, outcome.customer.id, outcome.customer.name_masked, outcome.customer.phone_masked ?? '***');
  }

  // The same session row IdentityService writes for ID card and SMS, with method 'fingerprint'.
  private async grant(kioskId: string, customerId: string, displayName: string, maskedId: string): Promise<CustomerSessionGrant> {
    const token = randomBytes(32).toString('base64url');
    const id = randomUUID();
    const expiresAt = this.now() + this.limits.sessionTtlMs;
    await this.hub.write(async (trx) => {
      await trx
        .insertInto('customer_sessions')
        .values({ id, token_hash: sha256(token), customer_id: customerId, kiosk_id: kioskId, method: 'fingerprint', created_at: nowIso(), expires_at: expiresAt, revoked_at: null })
        .execute();
    });
    return { session: { id, token, expiresAt: new Date(expiresAt).toISOString() }, customer: { displayName, maskedId, method: 'fingerprint', customerRef: customerId } };
  }
}

/** Stable per phone hash, the size of a common template, and never the template of any finger. */
function decoyTemplate(secret: string, phoneHash: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'lobby-kiosk-hub', `fingerprint-decoy/v1:${phoneHash}`, DECOY_BYTES));
}

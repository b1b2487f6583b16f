// Fingerprint 1:1 on a real hub (Fastify on loopback, SQLite file or PostgreSQL schema): staff
// enrolment with a kiosk token, templates sealed at rest (the bytes are nowhere in the database
// file), challenges bound to the kiosk that opened them, one release per attempt, attempt and
// per-phone limits, expiry, and the same answers for unknown phones and customers without a template.
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOMER_SESSION_HEADER, CustomerSessionGrant } from '../../contracts/identity.ts';
import { FingerprintChallengeResponse, FingerprintRelease } from '../../contracts/fingerprint.ts';
import { DEMO_CUSTOMERS, DEMO_FINGERS, demoFingerTemplate, seedDemo } from '../../hub/identity/demo.ts';
import { openTemplate, sealTemplate, templateKey, type FingerprintLimits } from '../../hub/identity/fingerprint.ts';
import { fingerTemplate } from '../../native/simulators/fingerprint.ts';
import { api, postgresUnavailable, startHub, type BackendName, type TestHub } from './harness.ts';

const pgSkip = await postgresUnavailable();

const ZHANG = DEMO_CUSTOMERS[0];
const LI = DEMO_CUSTOMERS[1];
/** A customer the demo seed gives no template (test/core/identity covers the seeded ones). */
const OUYANG = DEMO_CUSTOMERS[2];
const UNKNOWN_PHONE = '13900000000';

async function startFpHub(backend: BackendName, limits: Partial<FingerprintLimits> = {}) {
  const clock = { t: Date.UTC(2026, 10, 25, 4, 0, 0) };
  const t = await startHub(backend, { identity: { now: () => clock.t }, fingerprint: limits });
  await seedDemo(t.hub);
  // The demo seed enrols simulator fingers; these tests enrol their own.
  await t.hub.db.deleteFrom('fingerprint_templates' as never).execute();
  const kiosk = await t.addKiosk('lobby-1');
  const other = await t.addKiosk('lobby-2');
  return { t, clock, kiosk, other };
}

const post = (t: TestHub, path: string, token: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  api(t, path, { method: 'POST', token, body: JSON.stringify(body), headers });

for (const backend of ['sqlite', 'postgres'] as BackendName[]) {
  const skip = backend === 'postgres' && pgSkip !== null;
  describe.skipIf(skip)(`fingerprint 1:1 on ${backend}`, () => {
    let h: Awaited<ReturnType<typeof startFpHub>>;
    beforeEach(async () => {
      h = await startFpHub(backend);
    });
    afterEach(async () => {
      await h.t.close();
    });

    const enrol = (customerRef: string, template: Buffer, token = h.kiosk.token) =>
      post(h.t, '/v1/identity/fingerprint/templates', token, { customerRef, template: template.toString('base64') });
    const challenge = async (phone: string, token = h.kiosk.token) => {
      const r = await post(h.t, '/v1/identity/fingerprint/challenges', token, { phone });
      expect(r.status, r.text).toBe(200);
      return FingerprintChallengeResponse.parse(r.json);
    };
    const release = (id: string, token = h.kiosk.token) => post(h.t, `/v1/identity/fingerprint/challenges/${id}/template`, token);
    const result = (id: string, matched: boolean, token = h.kiosk.token) => post(h.t, `/v1/identity/fingerprint/challenges/${id}/result`, token, { matched, score: matched ? 200 : 3 });

    it('enrols with a kiosk token, seals the template at rest, releases it to the asking kiosk, and a match grants a fingerprint session', async () => {
      const template = fingerTemplate(7);
      const r = await enrol(ZHANG.ref, template);
      expect(r.status, r.text).toBe(200);
      expect(r.json).toMatchObject({ customerRef: ZHANG.ref, replaced: false });

      // At rest: a sealed row, not the template, and the sealed form opens only for this customer.
      const row = await h.t.hub.db.selectFrom('fingerprint_templates' as never).selectAll().executeTakeFirstOrThrow() as { customer_id: string; sealed: Buffer; enrolled_by: string };
      expect(row).toMatchObject({ customer_id: ZHANG.ref, enrolled_by: h.kiosk.id });
      expect(Buffer.from(row.sealed).includes(template.subarray(0, 16))).toBe(false);

      const c = await challenge(ZHANG.phone);
      expect(c.attemptsLeft).toBe(3);
      const rel = await release(c.challengeId);
      expect(rel.status, rel.text).toBe(200);
      expect(Buffer.from(FingerprintRelease.parse(rel.json).template, 'base64')).toEqual(template);
      const ok = await result(c.challengeId, true);
      expect(ok.status, ok.text).toBe(200);
      const grant = CustomerSessionGrant.parse(ok.json);
      expect(grant.customer).toEqual({ displayName: '张*三', maskedId: '138****8001', method: 'fingerprint', customerRef: ZHANG.ref });
      const orders = await api(h.t, '/v1/customer/orders', { token: h.kiosk.token, headers: { [CUSTOMER_SESSION_HEADER]: grant.session.token } });
      expect(orders.status).toBe(200);
      expect((orders.json as { orders: unknown[] }).orders.length).toBeGreaterThan(0);
      // The session belongs to this kiosk only; the challenge is closed after the match.
      expect((await api(h.t, '/v1/customer/orders', { token: h.other.token, headers: { [CUSTOMER_SESSION_HEADER]: grant.session.token } })).status).toBe(401);
      expect((await release(c.challengeId)).status).toBe(409);
      expect((await result(c.challengeId, true)).status).toBe(409);
    });

    it('the database file holds no template bytes after enrolment', async () => {
      const template = fingerTemplate(7);
      expect((await enrol(ZHANG.ref, template)).status).toBe(200);
      expect((await enrol(LI.ref, fingerTemplate(8))).status).toBe(200);
      const again = await enrol(ZHANG.ref, fingerTemplate(9));
      expect(again.json).toMatchObject({ replaced: true });
      const rows = (await h.t.hub.db.selectFrom('fingerprint_templates' as never).selectAll().execute()) as Array<{ sealed: Buffer }>;
      expect(rows).toHaveLength(2);
      for (const r of rows) {
        const s = Buffer.from(r.sealed);
        for (const n of [7, 8, 9]) expect(s.includes(fingerTemplate(n).subarray(100, 116))).toBe(false);
      }
      if (backend === 'sqlite') {
        // The file and its WAL, as a grep of the disk would see them.
        const bytes = Buffer.concat([h.t.hub.spec, `${h.t.hub.spec}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
        // The grep can see rows (the customer reference is there in clear) but no template bytes.
        expect(bytes.includes(Buffer.from(ZHANG.ref))).toBe(true);
        for (const n of [7, 8, 9]) {
          const t = fingerTemplate(n);
          for (const probe of [t.subarray(0, 16), t.subarray(400, 416), Buffer.from(t.toString('base64').slice(0, 24)), Buffer.from(t.toString('hex').slice(0, 32))]) {
            expect(bytes.includes(probe)).toBe(false);
          }
        }
      }
    });

    it('another kiosk gets nothing: not the template, not a result, not even that the challenge exists', async () => {
      await enrol(ZHANG.ref, fingerTemplate(7));
      const c = await challenge(ZHANG.phone);
      for (const r of [await release(c.challengeId, h.other.token), await result(c.challengeId, true, h.other.token)]) {
        expect(r.status).toBe(404);
        expect(r.text).not.toContain(fingerTemplate(7).toString('base64').slice(0, 12));
        expect(r.json).toMatchObject({ error: { code: 'not_found' } });
      }
      // Nothing was spent by the other kiosk: the owner still gets its release.
      expect((await release(c.challengeId)).status).toBe(200);
      // No token, a revoked-looking token, a malformed id: refused.
      expect((await post(h.t, `/v1/identity/fingerprint/challenges/${c.challengeId}/template`, 'nope')).status).toBe(401);
      expect((await release('not-a-uuid')).json).toMatchObject({ error: { code: 'bad_request' } });
    });

    it('releases once per attempt; a mismatch costs a try; the third locks the challenge', async () => {
      await enrol(ZHANG.ref, fingerTemplate(7));
      const c = await challenge(ZHANG.phone);
      expect((await result(c.challengeId, false)).json).toMatchObject({ error: { code: 'conflict' } }); // nothing released yet
      expect((await release(c.challengeId)).status).toBe(200);
      expect((await release(c.challengeId)).json).toMatchObject({ error: { code: 'conflict', message: expect.stringContaining('already released') } });
      const first = await result(c.challengeId, false);
      expect(first.status).toBe(401);
      expect(first.json).toMatchObject({ error: { code: 'no_match', message: expect.stringContaining('2 tries left') } });
      expect((await release(c.challengeId)).status).toBe(200);
      expect((await result(c.challengeId, false)).json).toMatchObject({ error: { code: 'no_match', message: expect.stringContaining('1 try left') } });
      expect((await release(c.challengeId)).status).toBe(200);
      const last = await result(c.challengeId, false);
      expect(last.status).toBe(423);
      expect(last.json).toMatchObject({ error: { code: 'locked' } });
      expect((await release(c.challengeId)).status).toBe(409);
      expect((await result(c.challengeId, true)).status).toBe(409);
      const sessions = await h.t.hub.db.selectFrom('customer_sessions').selectAll().execute();
      expect(sessions).toHaveLength(0);
    });

    it('expires: after the challenge TTL neither release nor result works', async () => {
      await enrol(ZHANG.ref, fingerTemplate(7));
      const c = await challenge(ZHANG.phone);
      expect((await release(c.challengeId)).status).toBe(200);
      h.clock.t += 3 * 60_000;
      expect((await result(c.challengeId, true)).json).toMatchObject({ error: { code: 'expired' } });
      expect((await release(c.challengeId)).status).toBe(410);
    });

    it('unknown phone and a customer without a template get the same answers as a wrong finger (no enumeration)', async () => {
      await enrol(ZHANG.ref, fingerTemplate(7));
      const answers: unknown[] = [];
      const decoys: Buffer[] = [];
      for (const phone of [UNKNOWN_PHONE, OUYANG.phone, ZHANG.phone]) {
        const c = await challenge(phone);
        const rel = await release(c.challengeId);
        expect(rel.status).toBe(200);
        const tpl = Buffer.from(FingerprintRelease.parse(rel.json).template, 'base64');
        expect(tpl.length).toBe(512);
        if (phone !== ZHANG.phone) decoys.push(tpl);
        // Even a (forged) "matched" on a decoy never yields a session.
        const r = await result(c.challengeId, phone !== ZHANG.phone);
        answers.push({ status: r.status, json: r.json });
      }
      expect(answers[0]).toEqual(answers[2]);
      expect(answers[1]).toEqual(answers[2]);
      expect(answers[2]).toMatchObject({ status: 401, json: { error: { code: 'no_match' } } });
      // Decoys are stable per phone (two challenges cannot tell decoy from real) and are no finger's template.
      const c2 = await challenge(UNKNOWN_PHONE);
      expect(Buffer.from(FingerprintRelease.parse((await release(c2.challengeId)).json).template, 'base64')).toEqual(decoys[0]);
      for (const d of decoys) for (let n = 0; n < 10; n++) expect(d.equals(fingerTemplate(n))).toBe(false);
      expect(await h.t.hub.db.selectFrom('customer_sessions').selectAll().execute()).toHaveLength(0);
    });

    it('limits challenges per phone (whichever kiosk asks), unknown numbers alike', async () => {
      for (let i = 0; i < 5; i++) await challenge(LI.phone, i % 2 ? h.other.token : h.kiosk.token);
      const sixth = await post(h.t, '/v1/identity/fingerprint/challenges', h.other.token, { phone: LI.phone });
      expect(sixth.status).toBe(429);
      expect(sixth.json).toMatchObject({ error: { code: 'rate_limited', retryAfterSec: expect.any(Number) } });
      // Unknown numbers are limited the same way.
      for (let i = 0; i < 5; i++) await challenge(UNKNOWN_PHONE);
      expect((await post(h.t, '/v1/identity/fingerprint/challenges', h.kiosk.token, { phone: UNKNOWN_PHONE })).status).toBe(429);
      h.clock.t += 3_600_001;
      await challenge(LI.phone);
    });

    it('limits challenges per kiosk (any phones)', async () => {
      const small = await startFpHub(backend, { perKioskPerHour: 3 });
      try {
        for (const phone of [ZHANG.phone, LI.phone, UNKNOWN_PHONE]) expect((await post(small.t, '/v1/identity/fingerprint/challenges', small.kiosk.token, { phone })).status).toBe(200);
        const fourth = await post(small.t, '/v1/identity/fingerprint/challenges', small.kiosk.token, { phone: OUYANG.phone });
        expect(fourth.json).toMatchObject({ error: { code: 'rate_limited', message: expect.stringContaining('this kiosk') } });
        // Another kiosk is not affected.
        expect((await post(small.t, '/v1/identity/fingerprint/challenges', small.other.token, { phone: OUYANG.phone })).status).toBe(200);
      } finally {
        await small.t.close();
      }
    });

    it('refuses hostile and malformed input with a clear error and stores nothing', async () => {
      const bad: Array<[unknown, RegExp]> = [
        [{ customerRef: ZHANG.ref }, /template/],
        [{ customerRef: ZHANG.ref, template: '' }, /template/],
        [{ customerRef: ZHANG.ref, template: 'not base64!!' }, /base64/],
        [{ customerRef: ZHANG.ref, template: 'AAAA'.repeat(2000) }, /template/],
        [{ customerRef: '../etc', template: 'AAAA' }, /customerRef/],
        [{ customerRef: ZHANG.ref, template: 'AAAA', extra: 1 }, /extra|unrecognized/i],
        [{ customerRef: ZHANG.ref, template: 'AAA=' + 'AAAA' }, /base64/],
      ];
      for (const [body, message] of bad) {
        const r = await post(h.t, '/v1/identity/fingerprint/templates', h.kiosk.token, body);
        expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(400);
        expect((r.json as { error: { message: string } }).error.message).toMatch(message);
      }
      const truncated = await api(h.t, '/v1/identity/fingerprint/templates', { method: 'POST', token: h.kiosk.token, body: '{"customerRef":"C-DEMO-ZHANG","template":"AAA' });
      expect(truncated.status).toBe(400);
      expect((await enrol('C-NOBODY', fingerTemplate(1))).json).toMatchObject({ error: { code: 'not_found' } });
      expect((await post(h.t, '/v1/identity/fingerprint/templates', h.t.adminToken, { customerRef: ZHANG.ref, template: 'AAAA' })).status).toBe(403);
      expect((await post(h.t, '/v1/identity/fingerprint/challenges', h.kiosk.token, { phone: '12345' })).status).toBe(400);
      expect((await post(h.t, '/v1/identity/fingerprint/challenges', h.kiosk.token, { phone: ZHANG.phone, template: 'AAAA' })).status).toBe(400);
      const c = await challenge(ZHANG.phone);
      expect((await post(h.t, `/v1/identity/fingerprint/challenges/${c.challengeId}/result`, h.kiosk.token, { matched: 'yes', score: 1 })).status).toBe(400);
      expect(await h.t.hub.db.selectFrom('fingerprint_templates' as never).selectAll().execute()).toHaveLength(0);
    });
  });
}

describe('demo seed', () => {
  it("enrols the simulator's finger 1 for 张 and finger 2 for 李 (sealed), none for 欧阳", async () => {
    for (const n of [0, 1, 2, 7]) expect(demoFingerTemplate(n)).toEqual(fingerTemplate(n));
    const t = await startHub('sqlite');
    try {
      await seedDemo(t.hub);
      await seedDemo(t.hub); // re-running replaces
      const kiosk = await t.addKiosk('lobby-1');
      const rows = (await t.hub.db.selectFrom('fingerprint_templates' as never).selectAll().execute()) as Array<{ customer_id: string }>;
      expect(rows.map((r) => r.customer_id).sort()).toEqual(Object.keys(DEMO_FINGERS).sort());
      for (const [ref, finger] of Object.entries(DEMO_FINGERS)) {
        const phone = DEMO_CUSTOMERS.find((c) => c.ref === ref)!.phone;
        const c = FingerprintChallengeResponse.parse((await post(t, '/v1/identity/fingerprint/challenges', kiosk.token, { phone })).json);
        const rel = FingerprintRelease.parse((await post(t, `/v1/identity/fingerprint/challenges/${c.challengeId}/template`, kiosk.token)).json);
        expect(Buffer.from(rel.template, 'base64')).toEqual(fingerTemplate(finger));
      }
    } finally {
      await t.close();
    }
  });
});

describe('template sealing', () => {
  it('AES-256-GCM with the customer as associated data: tampering, another customer or another key fail', () => {
    const key = templateKey('secret-1');
    const tpl = fingerTemplate(3);
    const sealed = sealTemplate(key, 'C-1', tpl);
    expect(sealed.length).toBe(1 + 12 + 16 + tpl.length);
    expect(openTemplate(key, 'C-1', sealed)).toEqual(tpl);
    expect(sealTemplate(key, 'C-1', tpl).equals(sealed)).toBe(false); // fresh nonce
    expect(() => openTemplate(key, 'C-2', sealed)).toThrow();
    expect(() => openTemplate(templateKey('secret-2'), 'C-1', sealed)).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[40]! ^= 1;
    expect(() => openTemplate(key, 'C-1', tampered)).toThrow();
    expect(() => openTemplate(key, 'C-1', sealed.subarray(0, 20))).toThrow(/format/);
  });
});

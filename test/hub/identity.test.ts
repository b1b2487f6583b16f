// Customer identification on a real hub (Fastify on loopback, SQLite file or PostgreSQL schema):
// ID numbers and phones only as keyed hashes, masked output, SMS codes with expiry, attempt
// limits, resend cool-down and per-phone / per-kiosk limits, sessions scoped to a kiosk and
// revocable, and the `hub demo seed` command.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import { CUSTOMER_SESSION_HEADER, CustomerSessionGrant, idNumberValid } from '../../contracts/identity.ts';
import { DEMO_CUSTOMERS, seedDemo } from '../../hub/identity/demo.ts';
import { LogSmsSender, type IdentityLimits } from '../../hub/identity/identity.ts';
import { CARD_PROFILES } from '../../native/simulators/profiles.ts';
import { tempDir } from '../helpers/tmp.ts';
import { api, postgresUnavailable, runCli, startHub, type BackendName, type TestHub } from './harness.ts';

const pgSkip = await postgresUnavailable();

interface Sms {
  phone: string;
  code: string;
}

async function startIdentityHub(backend: BackendName, limits: Partial<IdentityLimits> = {}) {
  const sent: Sms[] = [];
  const clock = { t: Date.UTC(2026, 10, 25, 4, 0, 0) };
  const t = await startHub(backend, {
    identity: { sms: { send: async (phone, code) => void sent.push({ phone, code }) }, limits, now: () => clock.t },
  });
  await seedDemo(t.hub);
  const kiosk = await t.addKiosk('lobby-1');
  const other = await t.addKiosk('lobby-2');
  return { t, sent, clock, kiosk, other };
}

const post = (t: TestHub, path: string, token: string, body: unknown, headers: Record<string, string> = {}) =>
  api(t, path, { method: 'POST', token, body: JSON.stringify(body), headers });

for (const backend of ['sqlite', 'postgres'] as BackendName[]) {
  const skip = backend === 'postgres' && pgSkip !== null;
  describe.skipIf(skip)(`customer identity on ${backend}`, () => {
    let h: Awaited<ReturnType<typeof startIdentityHub>>;
    beforeEach(async () => {
      h = await startIdentityHub(backend);
    });
    afterEach(async () => {
      await h.t.close();
    });

    it('demo customers are the card simulator profiles (valid check characters)', () => {
      for (const c of DEMO_CUSTOMERS) {
        const profile = CARD_PROFILES.find((p) => p.id === c.profile)!;
        expect(profile.idNumber).toBe(c.idNumber);
        expect(idNumberValid(c.idNumber)).toBe(true);
      }
      expect(idNumberValid(CARD_PROFILES.find((p) => p.id === 'bad-check')!.idNumber)).toBe(false);
    });

    it('identifies by ID number: masked customer, session scoped to the kiosk, revocable', async () => {
      for (const profile of CARD_PROFILES.filter((p) => p.id !== 'bad-check')) {
        const r = await post(h.t, '/v1/identity/idcard', h.kiosk.token, { idNumber: profile.idNumber });
        expect(r.status).toBe(200);
        const g = CustomerSessionGrant.parse(r.json);
        expect(g.customer.method).toBe('idcard');
        expect(g.customer.maskedId).toBe(`${profile.idNumber.slice(0, 4)}**********${profile.idNumber.slice(-4)}`);
        expect(g.customer.displayName).not.toBe(profile.name);
        expect([...g.customer.displayName][0]).toBe([...profile.name][0]);
        expect(g.customer.displayName).toContain('*');
        expect(r.text).not.toContain(profile.idNumber);
        expect(r.text).not.toContain(profile.name);
      }
      const zhang = CustomerSessionGrant.parse((await post(h.t, '/v1/identity/idcard', h.kiosk.token, { idNumber: DEMO_CUSTOMERS[0].idNumber })).json);
      expect(zhang.customer.displayName).toBe('张*三');
      const s = { [CUSTOMER_SESSION_HEADER]: zhang.session.token };
      expect((await api(h.t, '/v1/customer/orders', { token: h.kiosk.token, headers: s })).status).toBe(200);
      // The token is useless on another kiosk, and without the kiosk's own device token.
      expect((await api(h.t, '/v1/customer/orders', { token: h.other.token, headers: s })).status).toBe(401);
      expect((await api(h.t, '/v1/customer/orders', { headers: s })).status).toBe(401);
      // Another kiosk cannot revoke it; this one can, and then it stops working.
      expect((await post(h.t, `/v1/customer/sessions/${zhang.session.id}/revoke`, h.other.token, {})).status).toBe(404);
      expect((await post(h.t, `/v1/customer/sessions/${zhang.session.id}/revoke`, h.kiosk.token, {})).status).toBe(200);
      expect((await api(h.t, '/v1/customer/orders', { token: h.kiosk.token, headers: s })).status).toBe(401);
    });

    it('sessions expire', async () => {
      const g = CustomerSessionGrant.parse((await post(h.t, '/v1/identity/idcard', h.kiosk.token, { idNumber: DEMO_CUSTOMERS[1].idNumber })).json);
      h.clock.t += 15 * 60_000 + 1;
      const r = await api(h.t, '/v1/customer/orders', { token: h.kiosk.token, headers: { [CUSTOMER_SESSION_HEADER]: g.session.token } });
      expect(r.status).toBe(401);
    });

    it('refuses a bad check character, an unknown card and malformed input', async () => {
      const bad = await post(h.t, '/v1/identity/idcard', h.kiosk.token, { idNumber: CARD_PROFILES.find((p) => p.id === 'bad-check')!.idNumber });
      expect(bad.status).toBe(400);
      expect(bad.json).toMatchObject({ error: { code: 'bad_request', message: expect.stringContaining('check character') } });
      const stranger = [...'0123456789X'].map((c) => `11010119800101001${c}`).find(idNumberValid)!;
      const unknown = await post(h.t, '/v1/identity/idcard', h.kiosk.token, { idNumber: stranger });
      expect(unknown).toMatchObject({ status: 404, json: { error: { code: 'not_found' } } });
      expect((await post(h.t, '/v1/identity/idcard', h.kiosk.token, { idNumber: '123' })).status).toBe(400);
      expect((await post(h.t, '/v1/identity/idcard', h.kiosk.token, { idNumber: DEMO_CUSTOMERS[0].idNumber, name: 'x' })).status).toBe(400);
      expect((await post(h.t, '/v1/identity/idcard', h.t.adminToken, { idNumber: DEMO_CUSTOMERS[0].idNumber })).status).toBe(403);
    });

    it('SMS: a code identifies once; wrong codes count and lock; codes expire', async () => {
      const phone = DEMO_CUSTOMERS[0].phone;
      const r = await post(h.t, '/v1/identity/sms/request', h.kiosk.token, { phone });
      expect(r.status).toBe(200);
      const { challengeId } = r.json as { challengeId: string };
      expect(h.sent).toHaveLength(1);
      const code = h.sent[0]!.code;
      const wrong = code === '000000' ? '111111' : '000000';
      const w = await post(h.t, '/v1/identity/sms/verify', h.kiosk.token, { challengeId, code: wrong });
      expect(w).toMatchObject({ status: 401, json: { error: { code: 'wrong_code' } } });
      // Another kiosk cannot use this kiosk's challenge.
      expect((await post(h.t, '/v1/identity/sms/verify', h.other.token, { challengeId, code })).status).toBe(404);
      const ok = await post(h.t, '/v1/identity/sms/verify', h.kiosk.token, { challengeId, code });
      expect(ok.status).toBe(200);
      expect(CustomerSessionGrant.parse(ok.json).customer).toMatchObject({ method: 'sms', maskedId: '138****8001', displayName: '张*三' });
      expect(ok.text).not.toContain(phone);
      // Used once only.
      expect((await post(h.t, '/v1/identity/sms/verify', h.kiosk.token, { challengeId, code })).status).toBe(409);

      // Lockout after 5 wrong codes: even the right code is refused afterwards.
      h.clock.t += 61_000;
      const r2 = (await post(h.t, '/v1/identity/sms/request', h.kiosk.token, { phone })).json as { challengeId: string };
      const code2 = h.sent[1]!.code;
      const wrong2 = code2 === '000000' ? '111111' : '000000';
      for (let i = 0; i < 4; i++) expect((await post(h.t, '/v1/identity/sms/verify', h.kiosk.token, { challengeId: r2.challengeId, code: wrong2 })).status).toBe(401);
      expect(await post(h.t, '/v1/identity/sms/verify', h.kiosk.token, { challengeId: r2.challengeId, code: wrong2 })).toMatchObject({ status: 423, json: { error: { code: 'locked' } } });
      expect((await post(h.t, '/v1/identity/sms/verify', h.kiosk.token, { challengeId: r2.challengeId, code: code2 })).status).toBe(409);

      // Expiry.
      h.clock.t += 61_000;
      const r3 = (await post(h.t, '/v1/identity/sms/request', h.kiosk.token, { phone })).json as { challengeId: string };
      h.clock.t += 5 * 60_000 + 1;
      expect(await post(h.t, '/v1/identity/sms/verify', h.kiosk.token, { challengeId: r3.challengeId, code: h.sent[2]!.code })).toMatchObject({ status: 410, json: { error: { code: 'expired' } } });
    });

    it('SMS: resend cool-down and per-phone limit', async () => {
      const phone = DEMO_CUSTOMERS[1].phone;
      expect((await post(h.t, '/v1/identity/sms/request', h.kiosk.token, { phone })).status).toBe(200);
      const again = await post(h.t, '/v1/identity/sms/request', h.kiosk.token, { phone });
      expect(again).toMatchObject({ status: 429, json: { error: { code: 'rate_limited', retryAfterSec: 60 } } });
      // The cool-down is per phone, whichever kiosk asks.
      expect((await post(h.t, '/v1/identity/sms/request', h.other.token, { phone })).status).toBe(429);
      for (let i = 0; i < 4; i++) {
        h.clock.t += 61_000;
        expect((await post(h.t, '/v1/identity/sms/request', h.kiosk.token, { phone })).status).toBe(200);
      }
      h.clock.t += 61_000;
      const limited = await post(h.t, '/v1/identity/sms/request', h.kiosk.token, { phone });
      expect(limited).toMatchObject({ status: 429, json: { error: { code: 'rate_limited', message: expect.stringContaining('this phone number') } } });
      expect(h.sent).toHaveLength(5);
      h.clock.t += 3_600_000;
      expect((await post(h.t, '/v1/identity/sms/request', h.kiosk.token, { phone })).status).toBe(200);
    });

    it('SMS: requests racing from two kiosks send one code', async () => {
      const phone = DEMO_CUSTOMERS[2].phone;
      const rs = await Promise.all([h.kiosk.token, h.other.token, h.kiosk.token, h.other.token].map((tok) => post(h.t, '/v1/identity/sms/request', tok, { phone })));
      expect(rs.map((r) => r.status).sort()).toEqual([200, 429, 429, 429]);
      expect(h.sent).toHaveLength(1);
    });

    it('SMS: unknown numbers get the same answer but no message', async () => {
      const r = await post(h.t, '/v1/identity/sms/request', h.kiosk.token, { phone: '13900000000' });
      expect(r).toMatchObject({ status: 200, json: { sent: true } });
      expect(h.sent).toHaveLength(0);
      expect((await post(h.t, '/v1/identity/sms/request', h.kiosk.token, { phone: '12345' })).status).toBe(400);
    });
  });
}

describe('identity limits and storage (sqlite)', () => {
  it('per-kiosk SMS limit', async () => {
    const h = await startIdentityHub('sqlite', { perKioskPerHour: 2 });
    try {
      expect((await post(h.t, '/v1/identity/sms/request', h.kiosk.token, { phone: DEMO_CUSTOMERS[0].phone })).status).toBe(200);
      expect((await post(h.t, '/v1/identity/sms/request', h.kiosk.token, { phone: DEMO_CUSTOMERS[1].phone })).status).toBe(200);
      const third = await post(h.t, '/v1/identity/sms/request', h.kiosk.token, { phone: DEMO_CUSTOMERS[2].phone });
      expect(third).toMatchObject({ status: 429, json: { error: { code: 'rate_limited', message: expect.stringContaining('this kiosk') } } });
      // Another kiosk is not affected.
      expect((await post(h.t, '/v1/identity/sms/request', h.other.token, { phone: DEMO_CUSTOMERS[2].phone })).status).toBe(200);
    } finally {
      await h.t.close();
    }
  });

  it('the hub database holds no ID number, phone or name in clear (HMAC and masked forms only)', async () => {
    const h = await startIdentityHub('sqlite');
    const spec = h.t.hub.spec;
    for (const c of DEMO_CUSTOMERS) await post(h.t, '/v1/identity/idcard', h.kiosk.token, { idNumber: c.idNumber });
    await post(h.t, '/v1/identity/sms/request', h.kiosk.token, { phone: DEMO_CUSTOMERS[0].phone });
    await h.t.close();
    const bytes = Buffer.concat([spec, `${spec}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    expect(bytes.length).toBeGreaterThan(0);
    for (const c of DEMO_CUSTOMERS) {
      for (const secret of [c.idNumber, c.phone, c.name, c.idNumber.slice(0, 17)]) expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
    }
    expect(bytes.includes(Buffer.from('1101**********1233'))).toBe(true);
  });

  it('the default SMS sender writes one masked line', async () => {
    const lines: string[] = [];
    await new LogSmsSender((l) => lines.push(l)).send('13800138001', '123456');
    expect(lines).toEqual(['sms code 123456 for 138****8001']);
  });

  it('`hub demo seed` creates the demo customers with orders in every state', async () => {
    const db = join(tempDir(), 'hub.db');
    const r = await runCli('hub', ['demo', 'seed', '--db', db]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 customers');
    const again = await runCli('hub', ['demo', 'seed', '--db', db, '--json']);
    expect(JSON.parse(again.stdout)).toEqual({ customers: 3, orders: 24 });
    const bytes = readFileSync(db);
    for (const c of DEMO_CUSTOMERS) expect(bytes.includes(Buffer.from(c.idNumber))).toBe(false);
  });
});

// Fingerprint 1:1 end to end through the kiosk API: a kiosk core on a real SQLite file, a real hub
// on loopback (demo customers seeded: 张 has the simulator's finger 1), the fingerprint simulator on
// a socat pty pair driven by the real FingerprintSensor driver. The "person" at the sensor follows
// the prompts the kiosk emits (place / lift / place again), so nothing depends on timing.
// Staff enrolment → verification → orders; a different finger, an unknown phone and a customer
// without a template get the same refusal and no session; no phone number or template bytes on the
// kiosk's disk or in its logs.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DevicePrompt, KioskMethod } from '../../../contracts/kiosk-api.ts';
import type { FingerprintPort } from '../../../core/devices/device-ports.ts';
import { openKioskCore, type KioskCore } from '../../../core/kiosk-core.ts';
import { busPrompter, KioskEventBus } from '../../../core/api/events.ts';
import { fingerprintPort } from '../../../core/devices/fingerprint-port.ts';
import { startSimulatedDevices } from '../../../core/devices/simulated.ts';
import { DEMO_CUSTOMERS, seedDemo } from '../../../hub/identity/demo.ts';
import { listInbox } from '../../../hub/inbox/inbox.ts';
import { FingerprintSensor } from '../../../native/drivers/fingerprint.ts';
import { FingerprintSimulator, fingerTemplate } from '../../../native/simulators/fingerprint.ts';
import { callCore } from '../api/harness.ts';
import { startHub, type TestHub } from '../../hub/harness.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { openSerial, simulatorOnPty } from '../../native/fixtures.ts';
import { bytesUnder } from '../../helpers/files.ts';

const [ZHANG, LI, OUYANG] = DEMO_CUSTOMERS;
const UNKNOWN_PHONE = '13900000000';
const STAFF_PIN = '482106';

let core: KioskCore | undefined;
let hub: TestHub | undefined;
afterEach(async () => {
  await core?.close();
  await hub?.close().catch(() => {});
  core = hub = undefined;
});

const call = (method: KioskMethod, args: unknown = {}) => callCore(core!, method, args);

/** The person at the sensor: puts `finger` on when asked, lifts it when asked. */
interface Person {
  finger: number | null;
  prompts: DevicePrompt['step'][];
}

async function setup() {
  hub = await startHub('sqlite');
  await seedDemo(hub.hub);
  const { token } = await hub.addKiosk('lobby-1');
  const sim = new FingerprintSimulator();
  const { pair } = await simulatorOnPty(sim, { baudRate: 57600 });
  // A generous ack deadline: on a loaded machine a late ack would otherwise be retried, and this
  // protocol has no sequence numbers to tell a late ack from the next command's.
  const sensor = new FingerprintSensor(await openSerial(pair.a, 57600), { timeoutMs: 5000 });
  const dir = tempDir();
  // The real port, with every template that passes through it kept to check it was zeroed after.
  const real = fingerprintPort(sensor, { threshold: 50, pollMs: 20 });
  const templates: Uint8Array[] = [];
  const port: FingerprintPort = {
    verify: (template, o) => (templates.push(template), real.verify(template, o)),
    enrol: async (o) => {
      const t = await real.enrol(o);
      templates.push(t);
      return t;
    },
  };
  core = openKioskCore({
    mode: 'browser',
    dbPath: join(dir, 'kiosk.db'),
    logDir: join(dir, 'logs'),
    env: { KIOSK_HUB_URL: hub.url, KIOSK_HUB_TOKEN: token, KIOSK_STAFF_PIN: STAFF_PIN, KIOSK_LOG_LEVEL: 'debug' },
    autoSync: false,
    devices: { health: () => [], fingerprint: port },
  });
  const person: Person = { finger: null, prompts: [] };
  core.service.events.subscribe((event, payload) => {
    if (event !== 'device.prompt') return;
    const p = payload as DevicePrompt;
    expect(p.device).toBe('fingerprint');
    person.prompts.push(p.step);
    if ((p.step === 'place-finger' || p.step === 'place-finger-again') && person.finger !== null) sim.place(person.finger);
    if (p.step === 'lift-finger' || p.step === 'done') sim.lift();
  });
  return { dir, sim, person, templates };
}

const kioskBytes = bytesUnder;

function expectNothingPersonal(bytes: Buffer, fingers: number[]): void {
  for (const c of DEMO_CUSTOMERS) for (const secret of [c.idNumber, c.phone, c.name]) expect(bytes.includes(Buffer.from(secret)), `found ${c.profile}`).toBe(false);
  expect(bytes.includes(Buffer.from(UNKNOWN_PHONE))).toBe(false);
  for (const n of fingers) {
    const t = fingerTemplate(n);
    for (const probe of [t.subarray(0, 16), t.subarray(300, 316), Buffer.from(t.toString('base64').slice(0, 24)), Buffer.from(t.toString('hex').slice(0, 32))]) {
      expect(bytes.includes(probe), `template of finger ${n} found`).toBe(false);
    }
  }
}

/** Staff audit entries the kiosk delivered to the hub (through its outbox), oldest first. */
async function auditAtHub(): Promise<Array<{ action: string; outcome: string; detail?: string }>> {
  await core!.hub.deliver();
  const items = await listInbox(hub!.hub.db, 'audit', 100);
  return items.map((i) => i.payload as { action: string; outcome: string }).reverse();
}

const sessionsAtHub = () => hub!.hub.db.selectFrom('customer_sessions').selectAll().execute();

describe('device prompts on the bus', () => {
  it('one event per prompt, whether or not the device layer already put it on the bus', async () => {
    const bus = new KioskEventBus();
    const seen: string[] = [];
    bus.subscribe((e, p) => e === 'device.prompt' && seen.push((p as DevicePrompt).step));
    const prompt = busPrompter(bus);
    // A port that only calls the caller's listener (tests, other shells).
    prompt({ device: 'fingerprint', step: 'place-finger' });
    // core/devices/kiosk-devices.ts: the caller's listener, then the global one onto the bus, same tick.
    prompt({ device: 'fingerprint', step: 'done' });
    bus.emit('device.prompt', { device: 'fingerprint', step: 'done' });
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['done', 'place-finger']);
  });
});

describe('fingerprint 1:1 through the kiosk API (real hub, simulator on a pty)', () => {
  it('fingerprint match and mismatch: staff enrol a finger, the customer verifies with it and sees orders; another finger is refused', async () => {
    const { dir, person, templates } = await setup();
    // Staff mode at the counter: 欧阳 had no fingerprint; staff enrol her finger 5.
    await expect(call('staff.enrolFingerprint', { customerRef: OUYANG.ref })).rejects.toMatchObject({ code: 'unauthorized' });
    await call('staff.unlock', { pin: STAFF_PIN });
    person.finger = 5;
    expect(await call('staff.enrolFingerprint', { customerRef: OUYANG.ref, timeoutSec: 20 })).toEqual({ ok: true });
    await new Promise((r) => setImmediate(r));
    expect(person.prompts).toEqual(['place-finger', 'lift-finger', 'place-finger-again', 'done']);
    expect(await auditAtHub()).toContainEqual(expect.objectContaining({ action: 'staff.enrolFingerprint', outcome: 'ok' }));
    await call('staff.lock');

    // The customer: phone number, then the finger.
    await call('session.start');
    person.prompts = [];
    const who = await call('identify.fingerprint', { phone: OUYANG.phone, timeoutSec: 20 });
    expect(who).toEqual({ displayName: '欧**月', maskedId: '138****8003', method: 'fingerprint' });
    await new Promise((r) => setImmediate(r));
    expect(person.prompts).toEqual(['place-finger', 'working', 'done']);
    expect(await call('session.status')).toMatchObject({ active: true, identified: true });
    const orders = await call('orders.list');
    expect(orders.length).toBe(8);
    expect(orders.every((o) => String(o.id).startsWith('DEMO-OUYANG-'))).toBe(true);
    await call('session.end', { reason: 'finish' });
    await core!.service.identity.revoking;
    expect((await sessionsAtHub()).map((s) => [s.method, s.revoked_at !== null])).toEqual([['fingerprint', true]]);

    // Mismatch: the next customer claims 张's number (finger 1 enrolled by the seed) with finger 2.
    await call('session.start');
    person.finger = 2;
    await expect(call('identify.fingerprint', { phone: ZHANG.phone, timeoutSec: 20 })).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringContaining('could not be verified'),
    });
    expect(await call('session.status')).toMatchObject({ identified: false });
    await expect(call('orders.list')).rejects.toMatchObject({ code: 'unauthorized' });
    expect(await sessionsAtHub()).toHaveLength(1);
    // The right finger then works in the same kiosk session (a new challenge).
    person.finger = 1;
    expect(await call('identify.fingerprint', { phone: ZHANG.phone, timeoutSec: 20 })).toMatchObject({ displayName: '张*三', method: 'fingerprint' });
    await call('session.end', { reason: 'finish' });
    await core!.service.identity.revoking;

    await core!.close();
    core = undefined;
    // One enrolment and three matches went through the port; each template was zeroed after use.
    expect(templates.map((t) => t.length)).toEqual([512, 512, 512, 512]);
    for (const t of templates) expect(t.every((b) => b === 0)).toBe(true);
    const bytes = kioskBytes(dir);
    // The scan sees the log (what the flow logged is there) but no phone number and no template.
    expect(bytes.includes(Buffer.from('fingerprint enrolled at the hub'))).toBe(true);
    expect(bytes.includes(Buffer.from('customer identified'))).toBe(true);
    expectNothingPersonal(bytes, [1, 2, 5]);
  });

  it('an unknown phone and a customer without a template get the same refusal as a wrong finger, and no session', async () => {
    const { dir, person } = await setup();
    await call('session.start');
    person.finger = 1;
    const refusals: unknown[] = [];
    // 李 has finger 2 enrolled (seed): finger 1 is a wrong finger; 欧阳 has no template; the last number is nobody's.
    for (const phone of [LI.phone, OUYANG.phone, UNKNOWN_PHONE]) {
      const r = await core!.service.dispatcher.call('identify.fingerprint', { phone, timeoutSec: 20 });
      expect(r.ok).toBe(false);
      refusals.push(!r.ok && r.error);
    }
    expect(refusals[1]).toEqual(refusals[0]);
    expect(refusals[2]).toEqual(refusals[0]);
    expect(refusals[0]).toMatchObject({ code: 'unauthorized' });
    expect(await sessionsAtHub()).toHaveLength(0);
    expect(await call('session.status')).toMatchObject({ identified: false });
    // The sensor matched each time against whatever the hub released: the flow ran to the end.
    expect(person.prompts.filter((s) => s === 'done')).toHaveLength(3);
    // Per-phone limit at the hub (5 an hour): the kiosk says "locked", plainly, without a session.
    for (let i = 0; i < 4; i++) await expect(call('identify.fingerprint', { phone: LI.phone, timeoutSec: 20 })).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(call('identify.fingerprint', { phone: LI.phone, timeoutSec: 20 })).rejects.toMatchObject({ code: 'locked', message: expect.stringContaining('too many') });
    expect(person.prompts.filter((s) => s === 'done')).toHaveLength(7);
    await core!.close();
    core = undefined;
    expectNothingPersonal(kioskBytes(dir), [1, 2]);
  });

  it('through the device manager (devices config, as deployed): the demo finger of 张 identifies, each prompt once', async () => {
    hub = await startHub('sqlite');
    await seedDemo(hub.hub);
    const { token } = await hub.addKiosk('lobby-1');
    const dir = tempDir();
    const sims = await startSimulatedDevices(join(dir, 'devices'));
    try {
      core = openKioskCore({
        mode: 'browser',
        dbPath: join(dir, 'kiosk.db'),
        logDir: join(dir, 'logs'),
        env: { KIOSK_HUB_URL: hub.url, KIOSK_HUB_TOKEN: token },
        autoSync: false,
        devicesConfig: sims.configPath,
      });
      const prompts: string[] = [];
      core.service.events.subscribe((e, p) => {
        if (e !== 'device.prompt') return;
        const step = (p as DevicePrompt).step;
        prompts.push(step);
        if (step === 'place-finger') sims.fingerprint.place(1);
        if (step === 'done') sims.fingerprint.lift();
      });
      await call('session.start');
      expect(await call('identify.fingerprint', { phone: ZHANG.phone, timeoutSec: 30 })).toEqual({ displayName: '张*三', maskedId: '138****8001', method: 'fingerprint' });
      await new Promise((r) => setImmediate(r));
      expect(prompts).toEqual(['place-finger', 'working', 'done']);
      await core.close();
      core = undefined;
    } finally {
      await sims.stop();
    }
  });

  it('refuses hostile input, needs a session or staff mode, times out when no finger comes, and names an unknown customer', async () => {
    const { person } = await setup();
    await expect(call('identify.fingerprint', { phone: ZHANG.phone })).rejects.toMatchObject({ code: 'no_session' });
    await call('session.start');
    for (const args of [
      {},
      { phone: '1380013800' },
      { phone: `${ZHANG.phone}\n` },
      { phone: 13800138001 },
      { phone: ZHANG.phone, timeoutSec: 0 },
      { phone: ZHANG.phone, timeoutSec: 121 },
      { phone: ZHANG.phone, timeoutSec: '5' },
      { phone: ZHANG.phone, template: 'AAAA' },
      { phone: ZHANG.phone, __proto__: { x: 1 }, constructor: 1 },
    ]) {
      await expect(call('identify.fingerprint', args), JSON.stringify(args)).rejects.toMatchObject({ code: 'invalid_argument' });
    }
    // Nobody comes to the sensor: a clear timeout, no session, and the next try works.
    person.finger = null;
    await expect(call('identify.fingerprint', { phone: ZHANG.phone, timeoutSec: 1 })).rejects.toMatchObject({ code: 'timeout', message: expect.stringContaining('in time') });
    expect(await sessionsAtHub()).toHaveLength(0);
    person.finger = 1;
    expect(await call('identify.fingerprint', { phone: ZHANG.phone, timeoutSec: 20 })).toMatchObject({ method: 'fingerprint' });

    // Staff enrolment: bad references are refused before the sensor; an unknown one by the hub.
    await call('staff.unlock', { pin: STAFF_PIN });
    for (const args of [{}, { customerRef: '' }, { customerRef: '../etc/passwd' }, { customerRef: 'C-1', template: 'AAAA' }, { customerRef: 'x'.repeat(129) }]) {
      await expect(call('staff.enrolFingerprint', args), JSON.stringify(args).slice(0, 60)).rejects.toMatchObject({ code: 'invalid_argument' });
    }
    person.finger = 3;
    await expect(call('staff.enrolFingerprint', { customerRef: 'C-NOBODY', timeoutSec: 20 })).rejects.toMatchObject({ code: 'not_found' });
    // Two different fingers in the two captures: a device error the staff can act on; nothing stored.
    let captures = 0;
    const unsubscribe = core!.service.events.subscribe((e, p) => {
      // subscribed after the person: the finger changes while it is lifted, before "place again"
      if (e === 'device.prompt' && (p as DevicePrompt).step === 'lift-finger') person.finger = 4 + captures++;
    });
    await expect(call('staff.enrolFingerprint', { customerRef: OUYANG.ref, timeoutSec: 20 })).rejects.toMatchObject({ code: 'device', message: expect.stringContaining('different fingers') });
    unsubscribe();
    const templates = (await hub!.hub.db.selectFrom('fingerprint_templates' as never).selectAll().execute()) as Array<{ customer_id: string }>;
    expect(templates.map((t) => t.customer_id).sort()).toEqual([LI.ref, ZHANG.ref]);
    const audit = (await auditAtHub()).filter((a) => a.action === 'staff.enrolFingerprint');
    expect(audit.map((a) => a.outcome)).toEqual(['failed', 'failed']);
  });
});

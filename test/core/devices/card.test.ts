// The card reader in the running kiosk: identify.idCard reads the simulated card over a real pty
// (no cardSource given) and identifies the customer at a real hub; prompts reach the renderer as
// 'device.prompt' events; no card → 'timeout'; a damaged card → 'device'; staff.testCardRead
// shows masked data only; nothing personal lands in the kiosk's files.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_CUSTOMERS, seedDemo } from '../../../hub/identity/demo.ts';
import { findProfile } from '../../../native/simulators/profiles.ts';
import { startHub } from '../../hub/harness.ts';
import { allConnected, onCleanup, simulatedDevices, startKiosk, type TestKiosk } from './harness.ts';
import { bytesUnder } from '../../helpers/files.ts';

const kioskBytes = bytesUnder;

const prompts = (k: TestKiosk) => k.events.filter((e) => e.event === 'device.prompt').map((e) => (e.payload as { step: string }).step);

/** A kiosk with the simulated devices, connected to a demo-seeded hub. */
async function kioskWithDemoHub() {
  const hub = await startHub('sqlite');
  onCleanup(() => hub.close());
  await seedDemo(hub.hub);
  const { token } = await hub.addKiosk('lobby-1');
  const devices = await simulatedDevices();
  const k = startKiosk({ ...devices.env, KIOSK_HUB_URL: hub.url, KIOSK_HUB_TOKEN: token });
  await allConnected(k);
  return { devices, k };
}

describe('ID card reader in the kiosk', () => {
  it('identify.idCard reads the card on the reader and identifies the customer at the hub', async () => {
    const { devices, k } = await kioskWithDemoHub();
    expect((await k.call('app.info')).features).toMatchObject({ identify: true, devices: true });
    await k.call('session.start');

    // the customer places the card a moment after the kiosk started waiting
    const waiting = k.call('identify.idCard', { timeoutSec: 10 });
    setTimeout(() => devices.idcard.insert('zhang'), 300);
    expect(await waiting).toEqual({ displayName: '张*三', maskedId: '1101**********1233', method: 'idcard' });
    expect(prompts(k)).toEqual(['place-card', 'working', 'done']);
    expect(await k.call('session.status')).toMatchObject({ identified: true });
    expect((await k.call('orders.list')).length).toBeGreaterThan(0);

    await k.call('session.end', { reason: 'finish' });
    const bytes = kioskBytes(k.dir);
    const zhang = DEMO_CUSTOMERS.find((c) => c.profile === 'zhang')!;
    for (const secret of [zhang.idNumber, zhang.name, findProfile('zhang')!.address]) expect(bytes.includes(Buffer.from(secret))).toBe(false);
  });

  it('identify.cancel (the customer left the screen) stops the wait: a card laid down later identifies no one', async () => {
    const { devices, k } = await kioskWithDemoHub();
    await k.call('session.start');

    const waiting = k.code('identify.idCard', { timeoutSec: 30 });
    await expect.poll(() => prompts(k)).toContain('place-card');
    await k.call('identify.cancel');
    expect(await waiting).toBe('timeout');
    devices.idcard.insert('zhang');
    await new Promise((r) => setTimeout(r, 500));
    expect(await k.call('session.status')).toMatchObject({ identified: false });
    expect(await k.code('orders.list')).toBe('unauthorized');

    // the next wait still works
    expect(await k.call('identify.idCard', { timeoutSec: 10 })).toMatchObject({ displayName: '张*三' });
  });

  it('no card within the time → timeout; a card that fails its check → device; no reader → not_available', async () => {
    const devices = await simulatedDevices();
    const k = startKiosk({ ...devices.env, KIOSK_HUB_URL: 'http://127.0.0.1:9', KIOSK_HUB_TOKEN: 'x' });
    await allConnected(k);
    await k.call('session.start');
    expect(await k.code('identify.idCard', { timeoutSec: 1 })).toBe('timeout');
    expect(prompts(k)).toEqual(['place-card']);

    devices.idcard.insert('bad-check');
    expect(await k.code('identify.idCard', { timeoutSec: 5 })).toBe('device');

    // SAM module failing: every command answers an error → 'device', not a hang
    devices.idcard.control('sam fail');
    expect(await k.code('identify.idCard', { timeoutSec: 5 })).toBe('device');

    const printerOnly = await simulatedDevices();
    const cfg = { devices: printerOnly.config.devices.filter((d) => d.kind === 'printer') };
    const { writeFileSync } = await import('node:fs');
    const file = join(k.dir, 'printer-only.json');
    writeFileSync(file, JSON.stringify(cfg));
    const k2 = startKiosk({ KIOSK_DEVICES_CONFIG: file, KIOSK_HUB_URL: 'http://127.0.0.1:9', KIOSK_HUB_TOKEN: 'x' });
    await k2.call('session.start');
    expect(await k2.code('identify.idCard', { timeoutSec: 1 })).toBe('not_available');
  });

  it('staff.testCardRead returns masked data only, needs staff mode, and is audited', async () => {
    const devices = await simulatedDevices({ card: 'ouyang' });
    const k = startKiosk(devices.env);
    await allConnected(k);
    expect(await k.code('staff.testCardRead')).toBe('unauthorized');
    await k.call('staff.unlock', { pin: '135790' });
    const read = await k.call('staff.testCardRead');
    expect(read).toEqual({ displayName: '欧**月', maskedId: '4403**********789X', method: 'idcard' });
    // the card stays on the reader: a second test read works too (select answers for an active card)
    expect(await k.call('staff.testCardRead')).toEqual(read);
    const audit = JSON.stringify(k.core.store.db.prepare("SELECT payload FROM outbox WHERE kind = 'audit'").all());
    expect(audit.match(/staff\.testCardRead/gu)).toHaveLength(2);
    const logs = JSON.stringify(await k.call('staff.logs', { limit: 200 })) + audit;
    expect(logs).not.toContain('欧阳明月');
    expect(logs).not.toContain(findProfile('ouyang')!.idNumber);
  });
});

// ID-card reader driver ↔ card simulator over a real socat pty pair and the real serialport.
import { describe, expect, it } from 'vitest';
import { IdCardReader } from '../../../native/drivers/idcard.ts';
import { AbortedError, TimeoutError } from '../../../native/errors.ts';
import { maskIdNumber, maskName } from '../../../native/codecs/idcard/index.ts';
import { IdCardSimulator } from '../../../native/simulators/idcard.ts';
import { CARD_PROFILES } from '../../../native/simulators/profiles.ts';
import { captureLogger } from '../helpers.ts';
import { openSerial, ptyPair, simulatorOnPty } from '../fixtures.ts';

async function rig(profile?: string, logger?: ReturnType<typeof captureLogger>['logger']) {
  const sim = new IdCardSimulator(profile);
  const { pair } = await simulatorOnPty(sim, { baudRate: 115200 });
  const reader = new IdCardReader(await openSerial(pair.a, 115200), { logger, timeoutMs: 300 });
  return { sim, reader };
}

describe('ID-card reader over a pty', () => {
  it('waits for a card, then reads and decodes it', async () => {
    const { sim, reader } = await rig();
    await reader.samStatus();
    expect(await reader.findCard()).toBe(false);
    setTimeout(() => sim.insert('li'), 80);
    const card = await reader.waitForCard({ pollMs: 20 });
    expect(card.text).toMatchObject({ name: '李四', gender: 'female', ethnicity: '回', validTo: '长期', checkDigitOk: true, idNumber: CARD_PROFILES[1]!.idNumber });
    expect(card.photo.length).toBe(1024);
    expect(card.fingerprint).toBeUndefined();
  });

  it('reads the fingerprint block with 30 10', async () => {
    const { reader } = await rig('zhang');
    expect(await reader.findCard()).toBe(true);
    expect(await reader.selectCard()).toBe(true);
    const card = await reader.readCard({ fingerprint: true });
    expect(card.fingerprint?.length).toBe(1024);
    expect(card.text.name).toBe('张小三');
  });

  it('detects removal: present after the read, gone after remove', async () => {
    const { sim, reader } = await rig('ouyang');
    await reader.waitForCard({ pollMs: 10 });
    expect(await reader.findCard()).toBe(false); // an active card does not answer find…
    expect(await reader.isCardPresent()).toBe(true); // …but is still there
    setTimeout(() => sim.remove(), 50);
    await reader.waitForRemoval({ pollMs: 10 });
    expect(await reader.isCardPresent()).toBe(false);
  });

  it('read failure and a card pulled away mid-read are typed errors', async () => {
    const { sim, reader } = await rig('zhang');
    await expect(reader.readCard()).rejects.toMatchObject({ name: 'SamError', code: 'read-failed', sw3: 0x41 });
    sim.control('sam fail');
    await expect(reader.samStatus()).rejects.toMatchObject({ code: 'sam-self-test-failed', sw3: 0x60 });
  });

  it('resynchronises after line noise and a corrupted reply (retry), still returning the right card', async () => {
    const { sim, reader } = await rig('zhang');
    sim.control('noise');
    expect(await reader.findCard()).toBe(true);
    sim.control('corrupt');
    expect(await reader.selectCard()).toBe(true);
    const card = await reader.readCard();
    expect(card.text.idNumber).toBe(CARD_PROFILES[0]!.idNumber);
    expect(reader.stats.skippedBytes).toBeGreaterThan(0);
  });

  it('times out with a TimeoutError after retries when nothing answers', async () => {
    const pair = await ptyPair();
    const reader = new IdCardReader(await openSerial(pair.a, 115200), { timeoutMs: 100, retries: 1 });
    await expect(reader.samStatus()).rejects.toBeInstanceOf(TimeoutError);
    expect(reader.stats.timeouts).toBe(2);
  });

  it('stops waiting when the signal fires', async () => {
    const { reader } = await rig();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 60);
    await expect(reader.waitForCard({ pollMs: 10, signal: ac.signal })).rejects.toBeInstanceOf(AbortedError);
  });

  it('logs nothing personal during a full card read (name, number, address, dates, authority, photo, fingerprint)', async () => {
    const { logger, lines } = captureLogger();
    const { sim, reader } = await rig(undefined, logger);
    const activity: string[] = [];
    sim.on('activity', (l: string) => activity.push(l));
    setTimeout(() => sim.control('noise'), 0);
    setTimeout(() => sim.insert('zhang'), 30);
    const card = await reader.waitForCard({ pollMs: 10, fingerprint: true });
    await reader.isCardPresent();
    // accidental logging of the card object is redacted too
    logger.info({ card }, 'oops');
    lines.push(JSON.stringify({ card }), String(card));
    const t = card.text;
    const secrets = [t.name, maskName(t.name), t.idNumber, maskIdNumber(t.idNumber), t.idNumber.slice(6, 14), t.address, t.address.slice(0, 6), t.authority, t.birthDate, t.validFrom, t.validTo,
      card.photo.subarray(0, 8).toString('hex'), card.fingerprint!.subarray(0, 8).toString('hex'), card.photo.subarray(0, 8).toString('base64')];
    expect(lines.length).toBeGreaterThan(5);
    const all = [...lines, ...activity].join('\n');
    for (const s of secrets) expect(all).not.toContain(s);
    // and the logs are still useful
    expect(all).toContain('card read');
  });
});

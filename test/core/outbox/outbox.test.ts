// The kiosk outbox with a real SQLite file, a real key file and a real hub on a loopback port.
import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KbStore } from '../../../core/kb/store.ts';
import { openKbStore } from '../../../core/kiosk-db.ts';
import { FileKeyProvider, OutboxKeyError, seal, unseal } from '../../../core/outbox/crypto.ts';
import { keyFileOf, openOutbox } from '../../../core/outbox/open.ts';
import { OutboxError, type Outbox } from '../../../core/outbox/outbox.ts';
import { hubUrl } from '../../../core/hub-client/http.ts';
import { listInbox } from '../../../hub/inbox/inbox.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { runCli, startHub, type TestHub } from '../../hub/harness.ts';
import { TamperProxy } from '../sync/proxies.ts';

const PHONE = '13912345678';
const SECRET_TEXT = 'my card 6222020200112233445 was swallowed';
const ticket = { category: 'card-swallowed', text: SECRET_TEXT, locale: 'en' as const, contact: { phone: PHONE, name: '张三' } };

function rawBytesOfDb(file: string): string {
  const dir = join(file, '..');
  return readdirSync(dir)
    .filter((f) => f.startsWith('kiosk.db') && statSync(join(dir, f)).isFile())
    .map((f) => readFileSync(join(dir, f)).toString('latin1') + readFileSync(join(dir, f)).toString('utf8'))
    .join('');
}

describe('kiosk outbox', () => {
  let t: TestHub;
  let token: string;
  let kioskId: string;
  let file: string;
  let store: KbStore;
  let outbox: Outbox;
  const fast = { initialMs: 1000, maxMs: 60_000, factor: 2, jitter: 0 };

  beforeEach(async () => {
    t = await startHub('sqlite');
    ({ token, id: kioskId } = await t.addKiosk('k1'));
    file = join(tempDir(), 'kiosk.db');
    store = openKbStore(file);
    outbox = openOutbox(store.db, { backoff: fast });
  });
  afterEach(async () => {
    store.close();
    await t.close();
  });

  it('validates items before queueing them', () => {
    expect(() => outbox.enqueue('ticket', { category: 'x', locale: 'en' })).toThrow(OutboxError);
    expect(() => outbox.enqueue('rating', { score: 6, locale: 'en' })).toThrow(/score/);
    expect(() => outbox.enqueue('wish', {})).toThrow(/unknown item kind/);
    expect(outbox.counts()).toEqual({ pending: 0, quarantined: 0 });
    const key = outbox.enqueue('ticket', ticket);
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it('keeps personal fields encrypted at rest with a 0600 key file, and detects tampering', () => {
    outbox.enqueue('ticket', ticket);
    outbox.enqueue('rating', { score: 2, locale: 'en', comment: `call ${PHONE}` });
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = rawBytesOfDb(file);
    expect(bytes).not.toContain(PHONE);
    expect(bytes).not.toContain('6222020200112233445');
    expect(bytes).not.toContain('张三');
    expect(bytes).toContain('card-swallowed'); // the non-personal category stays readable
    expect(statSync(keyFileOf(file)).mode & 0o777).toBe(0o600);
    expect(outbox.list().every((i) => i.sealed)).toBe(true);
    expect(JSON.stringify(outbox.list())).not.toContain(PHONE);

    const key = new FileKeyProvider(keyFileOf(file)).key();
    const sealed = seal(key, 'secret', 'aad');
    expect(unseal(key, sealed, 'aad')).toBe('secret');
    expect(() => unseal(key, sealed, 'other item')).toThrow(OutboxKeyError);
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1]! ^= 1;
    expect(() => unseal(key, flipped, 'aad')).toThrow(/authentication/);

    chmodSync(keyFileOf(file), 0o644);
    expect(() => new FileKeyProvider(keyFileOf(file)).key()).toThrow(/chmod 600/);
  });

  it('delivers items once, quarantines rejected ones with the reason, and retries them on request', async () => {
    const k1 = outbox.enqueue('ticket', ticket);
    outbox.enqueue('search', { locale: 'en', query: 'lost card', results: 0 });
    // A future hub rule the kiosk does not know: make one item invalid for the hub by editing it.
    const bad = outbox.enqueue('rating', { score: 3, locale: 'en' });
    store.db.prepare('UPDATE outbox SET payload = ? WHERE key = ?').run(JSON.stringify({ score: 30, locale: 'en' }), bad);
    const r = await outbox.deliver({ url: hubUrl(t.url), token });
    expect(r).toMatchObject({ sent: 3, accepted: 2, rejected: 1, error: null });
    expect(outbox.counts()).toEqual({ pending: 0, quarantined: 1 });
    expect(outbox.list()[0]).toMatchObject({ key: bad, state: 'quarantined', quarantineReason: expect.stringMatching(/rejected by the hub: field 'score'/) });
    const tickets = await listInbox(t.hub.db, 'ticket', 10);
    expect(tickets).toEqual([expect.objectContaining({ key: k1, kiosk: 'k1', payload: ticket })]);

    // Quarantined items wait for a person; retry puts them back (and the hub refuses again).
    expect((await outbox.deliver({ url: hubUrl(t.url), token })).sent).toBe(0);
    expect(outbox.retry({ quarantined: true })).toBe(1);
    expect((await outbox.deliver({ url: hubUrl(t.url), token })).rejected).toBe(1);
    void kioskId;
  });

  it('backs off on hub errors and timeouts without losing anything, then delivers', async () => {
    const proxy = await TamperProxy.start(t.url);
    try {
      const keys = Array.from({ length: 5 }, (_, i) => outbox.enqueue('rating', { score: 1 + (i % 5), locale: 'en' }));
      let clock = Date.parse('2026-01-01T00:00:00Z');
      const timed = openOutbox(store.db, { backoff: fast, now: () => new Date(clock) });
      store.db.prepare('UPDATE outbox SET next_attempt_at = ?').run(new Date(clock).toISOString());
      proxy.before = () => 'fail';
      const r1 = await timed.deliver({ url: hubUrl(proxy.url), token });
      expect(r1).toMatchObject({ sent: 5, deferred: 5, error: expect.stringMatching(/500/) });
      expect(timed.list().every((i) => i.attempts === 1 && Date.parse(i.nextAttemptAt) === clock + 1000)).toBe(true);
      expect((await timed.deliver({ url: hubUrl(proxy.url), token })).sent).toBe(0); // not due yet
      clock += 1000;
      proxy.before = () => 'hang';
      const r2 = await timed.deliver({ url: hubUrl(proxy.url), token, timeoutMs: 300 });
      expect(r2.error).toMatch(/no answer/);
      expect(timed.list().every((i) => i.attempts === 2 && Date.parse(i.nextAttemptAt) === clock + 2000)).toBe(true);
      // The hub applied the batch but the answer was lost: the retry is a duplicate, not a second ticket.
      clock += 2000;
      proxy.before = null;
      proxy.tamper = (req, res) => (req.url === '/v1/outbox' ? { status: 502, headers: {}, body: Buffer.from('bad gateway') } : res);
      await timed.deliver({ url: hubUrl(proxy.url), token });
      clock += 4000;
      proxy.tamper = null;
      const r3 = await timed.deliver({ url: hubUrl(proxy.url), token });
      expect(r3).toMatchObject({ sent: 5, duplicate: 5, accepted: 0 });
      expect(timed.counts()).toEqual({ pending: 0, quarantined: 0 });
      const got = await listInbox(t.hub.db, 'rating', 100);
      expect(got.map((g) => g.key).sort()).toEqual([...keys].sort());
    } finally {
      await proxy.close();
    }
  });

  it('isolates an item whose envelope the hub refuses by bisecting the batch', async () => {
    const keys = Array.from({ length: 6 }, () => outbox.enqueue('search', { locale: 'en', query: 'q', results: 1 }));
    store.db.prepare("UPDATE outbox SET created_at = 'not a date' WHERE key = ?").run(keys[3]);
    const r = await outbox.deliver({ url: hubUrl(t.url), token });
    expect(r).toMatchObject({ accepted: 5, rejected: 1 });
    expect(outbox.list()).toEqual([expect.objectContaining({ key: keys[3], state: 'quarantined' })]);
  });

  it('quarantines items it can no longer decrypt (key file replaced) instead of dropping them', async () => {
    outbox.enqueue('ticket', ticket);
    writeFileSync(keyFileOf(file), Buffer.alloc(32, 7).toString('base64'), { mode: 0o600 });
    const again = openOutbox(store.db);
    const r = await again.deliver({ url: hubUrl(t.url), token });
    expect(r.sent).toBe(0);
    expect(again.list()[0]).toMatchObject({ state: 'quarantined', quarantineReason: expect.stringMatching(/another key/) });
  });

  it('works from the CLI: add, list (nothing personal), retry', async () => {
    store.close();
    const add = await runCli('kiosk', ['outbox', 'add', 'ticket', '-', '--db', file], { input: JSON.stringify(ticket) });
    expect(add.code, add.stderr).toBe(0);
    const bad = await runCli('kiosk', ['outbox', 'add', 'ticket', '-', '--db', file], { input: '{"category":"x"}' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/field 'text'/);
    const list = await runCli('kiosk', ['outbox', 'list', '--json', '--db', file]);
    expect(list.stdout).toContain('"kind":"ticket"');
    expect(list.stdout).not.toContain(PHONE);
    const retry = await runCli('kiosk', ['outbox', 'retry', '--json', '--db', file, '--hub', t.url, '--token', token]);
    expect(retry.code, retry.stderr).toBe(0);
    expect(JSON.parse(retry.stdout)).toMatchObject({ accepted: 1, pending: 0, quarantined: 0 });
    expect((await runCli('kiosk', ['outbox', 'list', '--db', file])).stdout).toContain('the outbox is empty');
    expect((await runCli('kiosk', ['outbox', 'frobnicate', '--db', file])).code).toBe(2);
    store = openKbStore(file);
  });
});

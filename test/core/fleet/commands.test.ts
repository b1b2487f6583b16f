// Central IT's commands reach a kiosk core through a real hub (in-process Fastify on loopback, SQLite
// file): a sync command syncs; a restart waits for the customer session to end and then runs once,
// even when the hub missed the outcome; stale and unknown commands are refused; update-now installs
// a real feed's update outside the maintenance window once the customer is gone. Every outcome is
// audited through the outbox, and each poll carries the core's uptime. The host is a fake that counts
// restarts (the shell is the host); the updater's quitAndInstall is spied as in test/core/update.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { AppUpdater } from 'electron-updater';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KioskMethod } from '../../../contracts/kiosk-api.ts';
import { openKioskCore, type KioskCore } from '../../../core/kiosk-core.ts';
import type { HostActions } from '../../../core/shell/host-actions.ts';
import { parseMaintenanceWindow } from '../../../core/update/maintenance-window.ts';
import { NodeAppAdapter, createLinuxUpdater } from '../../../core/update/node-updater.ts';
import { UpdateService } from '../../../core/update/update-service.ts';
import { listInbox } from '../../../hub/inbox/inbox.ts';
import { api, startHub, type TestHub } from '../../hub/harness.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { startFeed, type Feed } from '../update/feed.ts';
import { STAFF_PIN, callCore } from '../api/harness.ts';

let core: KioskCore | undefined;
let hub: TestHub | undefined;
let feed: Feed | undefined;
afterEach(async () => {
  await core?.close();
  await hub?.close();
  await feed?.close();
  core = hub = feed = undefined;
});

interface Cmd {
  id: string;
  type: string;
  state: string;
  detail: string | null;
}

const call = (method: KioskMethod, args: unknown = {}) => callCore<Record<string, unknown>>(core!, method, args);

async function setup(options: { host?: HostActions; updates?: UpdateService } = {}) {
  hub = await startHub('sqlite');
  const { token } = await hub.addKiosk('lobby-1');
  const dir = tempDir();
  core = openKioskCore({
    mode: 'browser',
    dbPath: join(dir, 'kiosk.db'),
    logDir: 'none',
    autoSync: false,
    env: { KIOSK_STAFF_PIN: STAFF_PIN, KIOSK_HUB_URL: hub.url, KIOSK_HUB_TOKEN: token },
    ...(options.host ? { host: options.host } : {}),
    ...(options.updates ? { updates: options.updates } : {}),
  });
  expect(core.fleet).toBeDefined();
  return { token, dir };
}

const send = async (type: string) => {
  const r = await api(hub!, '/v1/admin/kiosks/lobby-1/commands', { method: 'POST', token: hub!.adminToken, body: JSON.stringify({ type }) });
  expect(r.status, r.text).toBe(201);
  return (r.json as { command: Cmd }).command;
};
const commands = async () => ((await api(hub!, '/v1/admin/kiosks/lobby-1/commands', { token: hub!.adminToken })).json as { commands: Cmd[] }).commands;
const command = async (id: string) => (await commands()).find((c) => c.id === id)!;
/** A poll reached the hub: the engine's status triggers the command fetch; wait for it to finish. */
const pollHub = async () => {
  await core!.hub.sync!.syncNow();
  await core!.fleet!.settled();
};
/** The audit entries of hub commands, as delivered through the outbox to the hub's inbox. */
const auditActions = async () => {
  await core!.hub.deliver();
  await core!.hub.deliver(); // one already under way may have started before the last entry
  expect(core!.hub.outbox.counts().pending).toBe(0);
  return (await listInbox(hub!.hub.db, 'audit', 100))
    .map((i) => i.payload as { action: string; outcome: string; staffId: string })
    .filter((p) => p.action.startsWith('hub-command:'))
    .map((p) => {
      // Central IT acted, not the staff PIN: the audit says so.
      expect(p.staffId).toBe('hub-admin');
      return { action: p.action, outcome: p.outcome };
    });
};

describe('hub commands on a kiosk core', () => {
  it('sync: runs a sync now, reported once and audited; the poll carries the uptime', async () => {
    await setup();
    await hub!.publish([{ type: 'article', id: 'hub-only', locale: 'zh-CN', title: '总部发布的新业务说明', body: '总部刚刚发布。' }]);
    const cmd = await send('sync');
    // The fetch alone (no sync before it): the article can only arrive through the command.
    await core!.fleet!.poll();
    await core!.fleet!.settled();
    expect(await command(cmd.id)).toMatchObject({ state: 'done', detail: expect.stringMatching(/^synced to cursor \d+ \(\d+ changes\)$/) });
    const { hits } = (await call('kb.search', { query: '总部发布的新业务', locale: 'zh-CN' })) as { hits: Array<{ id: string }> };
    expect(hits[0]?.id).toBe('hub-only');

    await pollHub(); // nothing open any more: the command does not run again
    expect(await command(cmd.id)).toMatchObject({ state: 'done' });
    expect(await auditActions()).toEqual([{ action: 'hub-command:sync', outcome: 'ok' }]);

    await hub!.server.flushStatus();
    const [k] = ((await api(hub!, '/v1/admin/kiosks', { token: hub!.adminToken })).json as { kiosks: Array<{ uptimeSeconds: number | null; uptimeAt: string | null }> }).kiosks;
    expect(k!.uptimeSeconds).toEqual(expect.any(Number));
    expect(k!.uptimeSeconds!).toBeGreaterThanOrEqual(0);
    expect(k!.uptimeAt).toEqual(expect.any(String));
  });

  it('restart: deferred while a customer uses the kiosk, runs once after the session ends, never twice', async () => {
    let restarts = 0;
    const { token, dir } = await setup({ host: { restartApp: () => void restarts++ } });
    await call('session.start');
    const cmd = await send('restart');
    await pollHub();
    expect(await command(cmd.id)).toMatchObject({ state: 'deferred', detail: expect.stringMatching(/customer is using the kiosk/) });
    await pollHub();
    expect(restarts).toBe(0);

    await call('session.end', { reason: 'finish' });
    await core!.fleet!.settled();
    expect(restarts).toBe(1);
    expect(await command(cmd.id)).toMatchObject({ state: 'done', detail: 'restarting the app' });

    // The hub lost the outcome (e.g. the answer never came back): the kiosk re-sends it, and does not restart again.
    await hub!.hub.write((trx) => trx.updateTable('kiosk_commands').set({ state: 'pending', detail: null, finished_at: null }).where('id', '=', cmd.id).execute());
    await pollHub();
    expect(restarts).toBe(1);
    expect(await command(cmd.id)).toMatchObject({ state: 'done', detail: 'restarting the app' });
    expect(await auditActions()).toEqual([
      { action: 'hub-command:restart', outcome: 'ok' },
      { action: 'hub-command:restart', outcome: 'ok' },
    ]);

    // The restarted app (a new core on the same kiosk database) remembers it ran the command.
    await core!.close();
    let restartsAfter = 0;
    core = openKioskCore({ mode: 'browser', dbPath: join(dir, 'kiosk.db'), logDir: 'none', autoSync: false, env: { KIOSK_STAFF_PIN: STAFF_PIN, KIOSK_HUB_URL: hub!.url, KIOSK_HUB_TOKEN: token }, host: { restartApp: () => void restartsAfter++ } });
    await hub!.hub.write((trx) => trx.updateTable('kiosk_commands').set({ state: 'pending', detail: null, finished_at: null }).where('id', '=', cmd.id).execute());
    await pollHub();
    expect(restartsAfter).toBe(0);
    expect(await command(cmd.id)).toMatchObject({ state: 'done', detail: 'restarting the app' });
  });

  it('a stale command, an unknown type and an update on a kiosk without updater are refused and never run', async () => {
    let restarts = 0;
    await setup({ host: { restartApp: () => void restarts++ } });
    const stale = await send('restart');
    await hub!.hub.write((trx) => trx.updateTable('kiosk_commands').set({ created_at: new Date(Date.now() - 7 * 86_400_000).toISOString() }).where('id', '=', stale.id).execute());
    // A newer hub's command type this kiosk does not know.
    const unknownId = '00000000-0000-4000-8000-000000000001';
    const at = new Date().toISOString();
    await hub!.hub.write(async (trx) => {
      const k = await trx.selectFrom('kiosks').select('id').where('name', '=', 'lobby-1').executeTakeFirstOrThrow();
      await trx.insertInto('kiosk_commands').values({ id: unknownId, kiosk_id: k.id, type: 'self-destruct', state: 'pending', detail: null, created_at: at, seen_at: null, updated_at: at, finished_at: null }).execute();
    });
    const update = await send('update-now'); // this core has no updater
    await pollHub();
    expect(restarts).toBe(0);
    expect(await command(stale.id)).toMatchObject({ state: 'refused', detail: expect.stringMatching(/^stale: sent 168 h before this kiosk first saw it/) });
    expect(await command(unknownId)).toMatchObject({ state: 'refused', detail: expect.stringMatching(/unknown command type 'self-destruct'/) });
    expect(await command(update.id)).toMatchObject({ state: 'refused', detail: expect.stringMatching(/no app updater/) });
    expect((await auditActions()).map((a) => a.outcome)).toEqual(['denied', 'denied', 'denied']);
  });

  it('update-now: downloads from a real feed, installs outside the maintenance window once the session ends', async () => {
    feed = await startFeed({ version: '1.2.0' });
    const dir = tempDir();
    const app = new NodeAppAdapter({ version: '1.0.0', userDataPath: join(dir, 'userData'), cachePath: join(dir, 'cache') });
    const updater = createLinuxUpdater({ app, feed: { url: feed.url } });
    const install = vi.spyOn(updater, 'quitAndInstall').mockImplementation(() => {});
    const session = { active: () => core?.service.session.active ?? false };
    const updates = new UpdateService({
      updater: updater as AppUpdater,
      currentVersion: '1.0.0',
      sessionActive: () => session.active(),
      window: parseMaintenanceWindow('02:00-05:00'),
      now: () => new Date(2026, 10, 25, 14, 0), // mid-afternoon: outside the window
    });
    await setup({ updates });
    await call('session.start');
    const cmd = await send('update-now');
    await pollHub();
    expect(updates.status()).toMatchObject({ state: 'waiting-for-window', availableVersion: '1.2.0' });
    expect(install).not.toHaveBeenCalled();
    expect(await command(cmd.id)).toMatchObject({ state: 'deferred', detail: expect.stringMatching(/1\.2\.0 waiting-for-window: a customer is using the kiosk/) });

    await call('session.end', { reason: 'finish' });
    await core!.fleet!.settled();
    expect(install).toHaveBeenCalledTimes(1);
    expect(install).toHaveBeenCalledWith(true, true);
    expect(await command(cmd.id)).toMatchObject({ state: 'done', detail: 'installing 1.2.0' });
    expect(feed.requests.filter((r) => r.endsWith('.deb'))).toHaveLength(1);
  });

  it('a hostile or truncated command list runs nothing; a hostile type is refused with a clean reason', async () => {
    // A stand-in for the hub's two command endpoints, answering what a broken or hostile hub might.
    const id = '00000000-0000-4000-8000-0000000000aa';
    let answer = '';
    let failReports = 0;
    const reports: Array<{ url: string; body: string }> = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        if (req.method === 'POST') {
          reports.push({ url: req.url ?? '', body });
          if (failReports-- > 0) return void res.writeHead(503).end();
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, state: JSON.parse(body).state, duplicate: false }));
        } else if (answer === '500') res.writeHead(500).end('{"error":{"code":"internal","message":"x"}}');
        else res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      let restarts = 0;
      const dir = tempDir();
      core = openKioskCore({ mode: 'browser', dbPath: join(dir, 'kiosk.db'), logDir: 'none', autoSync: false, env: { KIOSK_HUB_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, KIOSK_HUB_TOKEN: 'lkk_test' }, host: { restartApp: () => void restarts++ } });
      const restart = { id, type: 'restart', state: 'pending', createdAt: new Date().toISOString(), ageSeconds: 0 };
      for (const a of [
        '500',
        '{"commands": [',
        'not json',
        JSON.stringify({ commands: [{ ...restart, id: 'not-a-uuid' }] }),
        JSON.stringify({ commands: [{ ...restart, ageSeconds: -1 }] }),
        JSON.stringify({ commands: [{ ...restart, extra: 1 }] }),
        JSON.stringify({ commands: Array.from({ length: 21 }, () => restart) }),
        JSON.stringify({ commands: restart }),
      ]) {
        answer = a;
        await core.fleet!.poll();
        await core.fleet!.settled();
        expect(restarts, a).toBe(0);
        expect(reports, a).toEqual([]);
      }
      answer = JSON.stringify({ commands: [{ ...restart, type: 'rm -rf /\u001b[2J' }] });
      await core.fleet!.poll();
      await core.fleet!.settled();
      expect(restarts).toBe(0);
      expect(reports).toHaveLength(1);
      expect(reports[0]!.url).toBe(`/v1/fleet/commands/${id}/result`);
      const body = JSON.parse(reports[0]!.body) as { state: string; detail: string };
      expect(body.state).toBe('refused');
      expect(body.detail).toMatch(/^unknown command type 'rm\?-rf\?\?\?\?2J' \(this kiosk runs sync, restart, update-now\)$/);

      // A report the hub did not take (503) is sent again with the next poll — once — and the
      // command is not run again; the hub still listing it gets the outcome it missed.
      const second = { ...restart, id: '00000000-0000-4000-8000-0000000000bb' };
      answer = JSON.stringify({ commands: [second] });
      failReports = 1;
      await core.fleet!.poll();
      await core.fleet!.settled();
      expect(restarts).toBe(1);
      expect(reports.slice(1).map((r) => [r.url, JSON.parse(r.body).state])).toEqual([[`/v1/fleet/commands/${second.id}/result`, 'done']]);
      await core.fleet!.poll();
      await core.fleet!.settled();
      expect(restarts).toBe(1);
      expect(reports.slice(1).map((r) => JSON.parse(r.body).state)).toEqual(['done', 'done']);
      answer = JSON.stringify({ commands: [] });
      await core.fleet!.poll();
      await core.fleet!.settled();
      expect(reports).toHaveLength(3);
    } finally {
      await core?.close();
      core = undefined;
      await new Promise((r) => server.close(r));
    }
  });
});

// A real hub process for a browser-mode kiosk (E2E): the hub's database file gets a KB bundle and a
// kiosk token through the hub CLI, `hub serve` runs on a fixed loopback port (so it can be stopped
// and started again at the same address, on the same file), and the kiosk is pointed at it by
// KIOSK_HUB_URL / KIOSK_HUB_TOKEN with a data folder the test can read (`kiosk sync status`).
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { jsonl, writeFiles } from '../helpers/tmp.ts';
import { runCli, startHubProcess } from '../hub/harness.ts';
import { tempDirKept } from './util.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface HubForKiosk {
  /** Pass to kioskForTests: filled in by a beforeAll registered before the kiosk's own. */
  env: Record<string, string>;
  db: string;
  kioskDb: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Until the kiosk's KB holds `articles` articles from this hub. */
  waitSynced(articles: number): Promise<void>;
  /** The hub's tickets (`hub tickets list --json`). */
  tickets(): Promise<Array<{ kiosk: string; key: string; payload: { category: string; text: string } }>>;
}

/** Call at the top of a test file, BEFORE kioskForTests(hub.env). */
export function hubForKiosk(records: object[], files: Record<string, Buffer | string> = {}): HubForKiosk {
  // Folders for the whole file (removed after the kiosk and the hub have stopped: hooks unwind).
  const dir = tempDirKept();
  const data = tempDirKept();
  const db = join(dir, 'hub.db');
  const env: Record<string, string> = {};
  let port = 0;
  let running: Awaited<ReturnType<typeof startHubProcess>> | undefined;
  const hub: HubForKiosk = {
    env,
    db,
    kioskDb: join(data, 'kiosk.db'),
    async start() {
      running = await startHubProcess(['--db', db, '--port', String(port)]);
    },
    async stop() {
      await running?.stop();
      running = undefined;
    },
    async waitSynced(articles) {
      await expect
        .poll(
          async () => {
            const r = await runCli('kiosk', ['sync', 'status', '--json', '--db', hub.kioskDb]);
            return r.code === 0 ? (JSON.parse(r.stdout) as { lastSyncAt: string | null; kb: { articles: number } }) : null;
          },
          { timeout: 60_000, interval: 500 },
        )
        .toMatchObject({ lastSyncAt: expect.any(String), kb: { articles } });
    },
    async tickets() {
      const r = await runCli('hub', ['tickets', 'list', '--json', '--limit', '1000', '--db', db]);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as never);
    },
  };
  beforeAll(async () => {
    writeFiles(dir, { 'kb.jsonl': jsonl(...records), ...files });
    const imported = await runCli('hub', ['kb', 'import', join(dir, 'kb.jsonl'), '--db', db]);
    expect(imported.code, imported.stderr).toBe(0);
    const added = await runCli('hub', ['kiosk', 'add', 'lobby-e2e', '--db', db]);
    expect(added.code, added.stderr).toBe(0);
    port = await freePort();
    await hub.start();
    Object.assign(env, { KIOSK_HUB_URL: `http://127.0.0.1:${port}`, KIOSK_HUB_TOKEN: added.stdout.trim(), KIOSK_DATA_DIR: data });
  });
  afterAll(() => hub.stop());
  return hub;
}

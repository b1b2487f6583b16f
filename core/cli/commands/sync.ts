// `kiosk sync …`: pull the KB and configuration from the hub now, or show where sync stands.
import type { ParseArgsConfig } from 'node:util';
import { argParser } from '../args.ts';
import { defaultDbPath, kioskDbFile } from '../../db/paths.ts';
import { openKbStore } from '../../kiosk-db.ts';
import { openOutbox } from '../../outbox/open.ts';
import { effectiveConfig } from '../../sync/config.ts';
import { loadToken, saveToken } from '../../sync/credentials.ts';
import { SyncEngine } from '../../sync/engine.ts';
import { SyncError } from '../../hub-client/errors.ts';
import { readSyncState } from '../../sync/state.ts';
import { CommandError, UsageError, writeLine, type CliIo } from '../io.ts';

const USAGE = `usage: kiosk sync [--hub URL] [--token T] [--db F] [--json] [--allow-insecure-http]
         sync the KB and configuration from the hub now (one complete checkpoint, or nothing)
       kiosk sync status [--json] [--db F]
The hub URL and token are remembered for the next run (URL in the database, token in <db>.hub-token,
mode 0600). Also from $KIOSK_HUB_URL / $KIOSK_HUB_TOKEN. Plain http is refused except to loopback
unless --allow-insecure-http (or KIOSK_ALLOW_INSECURE_HTTP=1).
--db defaults to ${defaultDbPath()}.`;

const OPTIONS = {
  db: { type: 'string' },
  hub: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean', default: false },
  'allow-insecure-http': { type: 'boolean', default: false },
  'page-limit': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values: o, positionals: p } = argParser(USAGE, OPTIONS)(argv, {});
  if (o.help) {
    writeLine(io.stdout, USAGE);
    return 0;
  }
  const dbFile = kioskDbFile(o.db, io.env);
  if (p[0] === 'status') {
    if (p.length > 1) throw new UsageError(`unexpected '${p[1]}'\n${USAGE}`);
    return status(dbFile, o.json, io);
  }
  if (p.length > 0) throw new UsageError(`unknown sync command '${p[0]}'\n${USAGE}`);

  const store = openKbStore(dbFile);
  try {
    const state = readSyncState(store.db);
    const hub = o.hub ?? io.env.KIOSK_HUB_URL ?? state.hubUrl;
    if (!hub) throw new UsageError('no hub known yet: give --hub URL (remembered afterwards)');
    let token = o.token ?? io.env.KIOSK_HUB_TOKEN ?? null;
    if (!token) {
      try {
        token = loadToken(dbFile);
      } catch (err) {
        throw new CommandError((err as Error).message);
      }
    }
    if (!token) throw new UsageError('no device token: give --token T (from `hub kiosk add`; remembered afterwards)');
    let pageLimit: number | undefined;
    if (o['page-limit'] !== undefined) {
      pageLimit = Number(o['page-limit']);
      if (!Number.isInteger(pageLimit) || pageLimit < 1 || pageLimit > 1000) throw new UsageError('--page-limit must be a whole number from 1 to 1000');
    }
    const outbox = openOutbox(store.db);
    const engine = new SyncEngine(store, {
      hubUrl: hub,
      token,
      allowInsecureHttp: o['allow-insecure-http'] || io.env.KIOSK_ALLOW_INSECURE_HTTP === '1',
      ...(pageLimit ? { pageLimit } : {}),
      outboxBacklog: () => outbox.counts().pending,
    });
    const t0 = performance.now();
    let r;
    try {
      r = await engine.syncOnce();
    } catch (err) {
      if (err instanceof SyncError) throw new CommandError(`sync failed (${err.code}): ${err.message}`);
      throw err;
    }
    if (o.token) saveToken(dbFile, o.token);
    const ms = Math.round(performance.now() - t0);
    if (o.json) writeLine(io.stdout, JSON.stringify({ ...r, ms }));
    else if (!r.changed) writeLine(io.stdout, `up to date (cursor ${r.cursor})`);
    else {
      const a = r.applied!;
      writeLine(
        io.stdout,
        `${r.full ? 'full' : 'incremental'} sync to cursor ${r.cursor} in ${ms} ms: ${r.changes} changes in ${r.pages} page(s); ` +
          `articles ${a.articles.put} put, ${a.articles.deleted} deleted; categories ${a.categories.put} put, ${a.categories.deleted} deleted; ` +
          `${r.blobsFetched} blob(s) fetched${a.synonyms ? '; synonyms replaced' : ''}${a.config ? `; ${a.config} config layer(s)` : ''}`,
      );
    }
    return 0;
  } finally {
    store.close();
  }
}

function status(dbFile: string, json: boolean, io: CliIo): number {
  const store = openKbStore(dbFile);
  try {
    const s = readSyncState(store.db);
    const counts = store.counts();
    const outbox = openOutbox(store.db).counts();
    const staged = (store.db.prepare('SELECT count(*) n FROM sync_stage').get() as { n: number }).n;
    const config = effectiveConfig(store.db);
    const out = {
      hub: s.hubUrl,
      hubId: s.hubId,
      cursor: s.cursor,
      lastSyncAt: s.lastSuccessAt,
      lastAttemptAt: s.lastAttemptAt,
      lastError: s.lastError,
      staged: s.stage ? { since: s.stage.since, to: s.stage.to, after: s.stage.after, changes: staged } : null,
      kb: { articles: counts.articles, categories: counts.categories, blobs: counts.blobs, synonymGroups: counts.synonymGroups },
      outbox,
      config: { branchName: config.branchName, syncIntervalSeconds: config.sync.intervalSeconds },
    };
    if (json) writeLine(io.stdout, JSON.stringify(out));
    else {
      writeLine(io.stdout, `hub          ${out.hub ?? '(none yet)'}`);
      writeLine(io.stdout, `cursor       ${out.cursor}${out.hubId ? ` (hub ${out.hubId})` : ''}`);
      writeLine(io.stdout, `last sync    ${out.lastSyncAt ?? 'never'}`);
      writeLine(io.stdout, `last attempt ${out.lastAttemptAt ?? 'never'}${out.lastError ? ` — failed: ${out.lastError}` : ''}`);
      if (out.staged) writeLine(io.stdout, `in progress  ${out.staged.changes} changes staged of (${out.staged.since}, ${out.staged.to}]; the next sync resumes`);
      writeLine(io.stdout, `kb           ${out.kb.articles} articles, ${out.kb.categories} categories, ${out.kb.blobs} blobs`);
      writeLine(io.stdout, `outbox       ${outbox.pending} pending, ${outbox.quarantined} quarantined`);
    }
    return 0;
  } finally {
    store.close();
  }
}

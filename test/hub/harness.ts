// Real parts for hub and sync tests: a hub on an SQLite file or a PostgreSQL schema, served by the
// real Fastify server on a loopback port, kiosk tokens, bundles written as files, and a canonical
// view of KB content that both a kiosk database and the hub's snapshot can be compared in.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { canonicalJson } from '../../contracts/sync-protocol.ts';
import { HubDb } from '../../hub/db/open.ts';
import { addKiosk, setAdminToken } from '../../hub/fleet/kiosks.ts';
import { readHubBundle } from '../../hub/kb/bundle.ts';
import { publishBundle } from '../../hub/kb/publish-kb.ts';
import { buildHubServer, type HubServer, type HubServerOptions } from '../../hub/server/server.ts';
import { kioskScopes } from '../../hub/sync/pages.ts';
import type { KbStore } from '../../core/kb/store.ts';
import { jsonl, tempDir, writeFiles } from '../helpers/tmp.ts';

export type BackendName = 'sqlite' | 'postgres';

export const PG_URL = process.env.HUB_TEST_PG_URL ?? 'postgres://kiosk:kiosk@127.0.0.1:5432/kiosk_hub';

let pgProbe: Promise<string | null> | null = null;
/** null when PostgreSQL answers; else why not. In CI (HUB_TEST_REQUIRE_PG=1) unavailability fails. */
export function postgresUnavailable(): Promise<string | null> {
  pgProbe ??= (async () => {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return null;
    } catch (err) {
      const reason = `PostgreSQL not reachable at ${PG_URL.replace(/:[^:@/]*@/, ':***@')} (${(err as Error).message}); set HUB_TEST_PG_URL or run .ci/run`;
      if (process.env.HUB_TEST_REQUIRE_PG === '1') throw new Error(reason, { cause: err });
      return reason;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return pgProbe;
}

/** A fresh, empty database for one hub: a temp SQLite file, or a new schema on PostgreSQL. */
export async function freshDbSpec(backend: BackendName): Promise<string> {
  if (backend === 'sqlite') return join(tempDir(), 'hub.db');
  // The run id lets the run drop its schemas at the end (pg-schemas.global.ts).
  const schema = `t_${process.env.HUB_TEST_SCHEMA_RUN ?? 'adhoc'}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

export interface TestHub {
  url: string;
  hub: HubDb;
  server: HubServer;
  adminToken: string;
  /** Where this hub keeps release artifacts (a temp folder). */
  updatesDir: string;
  addKiosk(name: string, branch?: string): Promise<{ id: string; token: string; branch: string | null }>;
  /** Publishes records (and image files) as a bundle; returns the publish summary. */
  publish(records: object[], options?: { images?: Record<string, Buffer>; merge?: boolean }): ReturnType<typeof publishBundle>;
  close(): Promise<void>;
}

export async function startHub(backend: BackendName, options: HubServerOptions & { spec?: string } = {}): Promise<TestHub> {
  const hub = await HubDb.open(options.spec ?? (await freshDbSpec(backend)));
  // Every answer is checked against the route table (hub/server/response-check.ts); close() fails the test on a mismatch.
  const updatesDir = join(tempDir(), 'updates');
  const server = await buildHubServer(hub, { rateLimitPerMinute: 1_000_000, authCacheMs: 0, checkResponses: true, ...options, updates: { dir: updatesDir, ...options.updates } });
  const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const adminToken = await setAdminToken(hub);
  return {
    url,
    hub,
    server,
    adminToken,
    updatesDir: options.updates?.dir ?? updatesDir,
    async addKiosk(name, branch) {
      const r = await addKiosk(hub, name, branch ?? null);
      return { id: r.kiosk.id, token: r.token, branch: r.kiosk.branch };
    },
    async publish(records, o = {}) {
      const dir = tempDir();
      writeFiles(dir, { 'kb.jsonl': jsonl(...records), ...(o.images ?? {}) });
      const r = await publishBundle(hub, readHubBundle(join(dir, 'kb.jsonl')), { merge: o.merge ?? false });
      server.head.invalidate();
      return r;
    },
    async close() {
      await server.close();
      await hub.close();
      if (server.responseProblems.length) throw new Error(`answers that do not match the route table:\n${server.responseProblems.join('\n')}`);
    },
  };
}

// ---- content fingerprints ----------------------------------------------------------------------

export interface KbView {
  articles: Record<string, string>;
  categories: Record<string, string>;
  synonyms: string;
  config: Record<string, string>;
}

const articleView = (a: { id: string; locale: string; categoryId?: string | null; title: string; body: string; tags?: string[]; questions?: string[] }) =>
  canonicalJson({ id: a.id, locale: a.locale, categoryId: a.categoryId ?? null, title: a.title, body: a.body, tags: a.tags ?? [], questions: a.questions ?? [] });
const categoryView = (c: { id: string; locale: string; parentId?: string | null; title: string; order?: number }) =>
  canonicalJson({ id: c.id, locale: c.locale, parentId: c.parentId ?? null, title: c.title, order: c.order ?? 0 });

/** What a kiosk database holds, in comparable form. */
export function kioskView(store: KbStore): KbView {
  const db = store.db;
  const articles: Record<string, string> = {};
  for (const r of db.prepare('SELECT * FROM articles').all() as Array<Record<string, string>>) {
    articles[`${r.locale}/${r.id}`] = articleView({
      id: r.id!,
      locale: r.locale!,
      categoryId: r.category_id ?? null,
      title: r.title!,
      body: r.body!,
      tags: JSON.parse(r.tags!) as string[],
      questions: JSON.parse(r.questions!) as string[],
    });
  }
  const categories: Record<string, string> = {};
  for (const c of db.prepare('SELECT * FROM categories').all() as Array<Record<string, string | number | null>>) {
    categories[`${c.locale}/${c.id}`] = categoryView({ id: String(c.id), locale: String(c.locale), parentId: (c.parent_id as string) ?? null, title: String(c.title), order: Number(c.sort_order) });
  }
  const synonyms = canonicalJson(store.synonymGroups().map((g) => g.terms));
  const config: Record<string, string> = {};
  for (const r of db.prepare("SELECT key, value FROM config WHERE key LIKE 'hub:%'").all() as Array<{ key: string; value: string }>) config[r.key.slice(4)] = canonicalJson(JSON.parse(r.value));
  return { articles, categories, synonyms, config };
}

/** The hub's state as of seq `to`, as a kiosk of `kiosk` would see it. */
export async function hubView(hub: HubDb, to: number, kiosk: { id: string; branch: string | null }): Promise<KbView> {
  const rows = await hub.db
    .selectFrom('changes')
    .select(['kind', 'key', 'data'])
    .where('seq', '<=', to)
    .where('op', '=', 'put')
    .where((eb) => eb.or([eb('superseded_by', 'is', null), eb('superseded_by', '>', to)]))
    .where('scope', 'in', kioskScopes(kiosk))
    .execute();
  const view: KbView = { articles: {}, categories: {}, synonyms: canonicalJson([]), config: {} };
  for (const r of rows) {
    const data = JSON.parse(r.data!) as never;
    if (r.kind === 'article') view.articles[r.key] = articleView(data);
    else if (r.kind === 'category') view.categories[r.key] = categoryView(data);
    else if (r.kind === 'synonyms') view.synonyms = canonicalJson((data as { groups: Array<{ terms: string[] }> }).groups.map((g) => g.terms));
    else if (r.kind === 'config') view.config[r.key] = canonicalJson(data);
  }
  return view;
}

// ---- content generators ------------------------------------------------------------------------

export const category = (id: string, title: string, extra: object = {}) => ({ type: 'category', id, locale: 'en', title, ...extra });
export const article = (id: string, title: string, body: string, extra: object = {}) => ({ type: 'article', id, locale: 'en', title, body, ...extra });

/** A KB of `n` English articles in 5 categories; `rev` changes the text of every 3rd article. */
export function generatedKb(n: number, rev = 0): object[] {
  const out: object[] = [];
  for (let c = 0; c < 5; c++) out.push(category(`cat-${c}`, `Category ${c}`));
  for (let i = 0; i < n; i++) {
    const changed = i % 3 === 0 ? rev : 0;
    out.push(article(`a-${i}`, `Article ${i} about topic${i % 17} r${changed}`, `Body of article ${i}, revision ${changed}. Words: card phone ticket queue ${i % 7}.`, { categoryId: `cat-${i % 5}`, tags: [`t${i % 11}`] }));
  }
  return out;
}

export async function api(t: TestHub, path: string, init: RequestInit & { token?: string } = {}): Promise<{ status: number; headers: Headers; json: unknown; text: string }> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const res = await fetch(new URL(path, t.url), { ...init, headers });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, json, text };
}

// Child-process helpers live in a module without vitest hooks, so plain scripts (npm run screens) use them too.
export { runCli, startHubProcess, type HubProcess } from './processes.ts';

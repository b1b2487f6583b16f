// Opens the hub database named by --db: a PostgreSQL URL (postgres://…) or an SQLite file path.
// Writers that publish changes are serialised (BEGIN IMMEDIATE on SQLite, an advisory lock on
// PostgreSQL) so that sequence order is commit order: a kiosk that has read up to seq N can never
// later meet a change with a smaller seq.
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { migrationProvider, type Dialect } from './migrations.ts';
import type { HubSchema } from './schema.ts';

export type HubKysely = Kysely<HubSchema>;
export type HubTx = Kysely<HubSchema> | Transaction<HubSchema>;

/** Advisory lock id for publishers on PostgreSQL ("lk" in ASCII, and a version). */
const PUBLISH_LOCK = 0x6c6b_0001;
export const HEAD_CHANNEL = 'hub_head';

export const isPostgresUrl = (spec: string) => /^postgres(ql)?:\/\//i.test(spec);

/** A URL with the password replaced, for messages and logs. */
export function redactDbSpec(spec: string): string {
  if (!isPostgresUrl(spec)) return spec;
  try {
    const u = new URL(spec);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable)';
  }
}

const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    // int8 (count(*), bigint columns): our numbers stay far below 2^53.
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export class HubDb {
  private constructor(
    readonly dialect: Dialect,
    readonly db: HubKysely,
    readonly spec: string,
    private readonly sqlite: Database.Database | null,
    readonly pool: pg.Pool | null,
  ) {}

  static async open(spec: string, options: { poolSize?: number } = {}): Promise<HubDb> {
    let hub: HubDb;
    if (isPostgresUrl(spec)) {
      const pool = new pg.Pool({ connectionString: spec, max: options.poolSize ?? 10, types: pgTypes, connectionTimeoutMillis: 10_000 });
      // Fail here with a clear message rather than on the first request.
      try {
        const client = await pool.connect();
        client.release();
      } catch (err) {
        await pool.end().catch(() => {});
        throw new Error(`cannot connect to ${redactDbSpec(spec)}: ${(err as Error).message}`, { cause: err });
      }
      hub = new HubDb('postgres', new Kysely<HubSchema>({ dialect: new PostgresDialect({ pool }) }), spec, null, pool);
    } else {
      mkdirSync(dirname(spec), { recursive: true });
      const database = new Database(spec);
      database.pragma('journal_mode = WAL');
      database.pragma('synchronous = NORMAL');
      database.pragma('busy_timeout = 10000');
      hub = new HubDb('sqlite', new Kysely<HubSchema>({ dialect: new SqliteDialect({ database }) }), spec, database, null);
    }
    await hub.migrate();
    return hub;
  }

  private async migrate(): Promise<void> {
    if (this.dialect === 'sqlite') return this.runMigrations(this.db, undefined);
    // Two hubs starting at once against an empty schema: one migrates, the other waits. The session
    // lock is taken and released on one pooled connection (a lock taken on one connection and
    // "released" on another would stay held), keyed by schema so hubs in other schemas of the same
    // database (tests, staging) never wait on it.
    await this.db.connection().execute(async (conn) => {
      await sql`SELECT pg_advisory_lock(${PUBLISH_LOCK + 1}, hashtext(current_schema()))`.execute(conn);
      try {
        // The migration tables live in the current schema (search_path), so several hubs can share
        // a database in separate schemas.
        const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(conn)).rows[0]?.s;
        await this.runMigrations(conn, schema);
      } finally {
        await sql`SELECT pg_advisory_unlock(${PUBLISH_LOCK + 1}, hashtext(current_schema()))`.execute(conn);
      }
    });
  }

  private async runMigrations(db: HubKysely, schema: string | undefined): Promise<void> {
    const { error, results } = await new Migrator({
      db,
      provider: migrationProvider(this.dialect),
      ...(schema ? { migrationTableSchema: schema } : {}),
    }).migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? '?';
      throw new Error(`hub database migration ${failed} failed: ${(error as Error).message ?? String(error)}`);
    }
  }

  /**
   * SQLite's data_version: changes whenever another connection commits. Cheap enough to call per
   * request; null on PostgreSQL (it uses LISTEN/NOTIFY instead).
   */
  dataVersion(): number | null {
    if (!this.sqlite) return null;
    this.dataVersionStmt ??= this.sqlite.prepare('PRAGMA data_version').pluck();
    return this.dataVersionStmt.get() as number;
  }
  private dataVersionStmt: Database.Statement | null = null;

  /** A write transaction. `publish` also takes the publish lock (changes/head/revisions). */
  async write<T>(fn: (trx: HubTx) => Promise<T>, options: { publish?: boolean } = {}): Promise<T> {
    if (this.dialect === 'sqlite') {
      // BEGIN IMMEDIATE: take the write lock up front, so a read-then-write never fails with
      // SQLITE_BUSY_SNAPSHOT when the admin CLI writes beside a running server.
      return this.db.connection().execute(async (conn) => {
        await sql`BEGIN IMMEDIATE`.execute(conn);
        try {
          const result = await fn(conn);
          await sql`COMMIT`.execute(conn);
          return result;
        } catch (err) {
          await sql`ROLLBACK`.execute(conn).catch(() => {});
          throw err;
        }
      });
    }
    return this.db.transaction().execute(async (trx) => {
      if (options.publish) await sql`SELECT pg_advisory_xact_lock(${PUBLISH_LOCK}, hashtext(current_schema()))`.execute(trx);
      return fn(trx);
    });
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

export async function getMeta(db: HubTx, key: string): Promise<string> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  if (!row) throw new Error(`hub database has no meta '${key}'`);
  return row.value;
}

export async function setMeta(db: HubTx, key: string, value: string): Promise<void> {
  await db.updateTable('meta').set({ value }).where('key', '=', key).execute();
}

export const nowIso = () => new Date().toISOString();

/**
 * A 256-bit secret kept in meta under `key`, created on first use. Every replica reads the same one;
 * two creating it at once both end up with the first one written.
 */
export async function metaSecret(db: HubTx, key: string): Promise<string> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  if (row) return row.value;
  await db.insertInto('meta').values({ key, value: randomBytes(32).toString('hex') }).onConflict((oc) => oc.column('key').doNothing()).execute();
  return (await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirstOrThrow()).value;
}

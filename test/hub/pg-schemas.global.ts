// Vitest global setup: every PostgreSQL schema the hub tests make in this run carries one run id
// (freshDbSpec in harness.ts), and the run drops them all when it ends. Without it a shared test
// database collects hundreds of schemas, and each hub start (migrations introspect the whole
// database) gets slower with every run. Other runs' schemas (another checkout testing beside
// this one) are left alone.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const PG_URL = process.env.HUB_TEST_PG_URL ?? 'postgres://kiosk:kiosk@127.0.0.1:5432/kiosk_hub';

export function setup(): () => Promise<void> {
  const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  process.env.HUB_TEST_SCHEMA_RUN = run; // the forked test workers inherit it
  return async () => {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
    } catch {
      return; // no PostgreSQL in this run: nothing was made
    }
    try {
      const { rows } = await client.query<{ name: string }>(`SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE $1`, [`t\\_${run}\\_%`]);
      for (const { name } of rows) await client.query(`DROP SCHEMA "${name}" CASCADE`);
    } finally {
      await client.end().catch(() => {});
    }
  };
}

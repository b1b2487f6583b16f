// Hub schema migrations: one list, the same steps on SQLite and PostgreSQL (column types differ
// only where the engines do: 64-bit integers and byte arrays). Kysely's Migrator records what ran.
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { randomUUID } from 'node:crypto';
import { healthLevel } from '../../contracts/fleet-view.ts';
import { deviceHealthOf } from '../fleet/device-health.ts';
import { versionSortKey } from '../updates/versions.ts';

export type Dialect = 'sqlite' | 'postgres';

function migration0001(dialect: Dialect): Migration {
  const int64 = dialect === 'postgres' ? sql`bigint` : sql`integer`;
  const bytes = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('changes')
        .addColumn('seq', int64, (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('op', 'text', (c) => c.notNull().check(sql`op in ('put', 'delete')`))
        .addColumn('data', 'text')
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('superseded_by', int64)
        .addColumn('superseded_at', 'text')
        .execute();
      // One current row per entity; pages read "current as of snapshot T" by seq range.
      await db.schema.createIndex('changes_current').on('changes').columns(['kind', 'key', 'scope']).unique().where(sql.ref('superseded_by'), 'is', null).execute();
      await db.schema.createIndex('changes_superseded').on('changes').column('superseded_by').where(sql.ref('superseded_by'), 'is not', null).execute();

      await db.schema
        .createTable('blobs')
        .addColumn('sha256', 'text', (c) => c.primaryKey())
        .addColumn('media_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('data', bytes, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('revisions')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('head', int64, (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('kiosks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('branch', 'text')
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('last_seen_at', 'text')
        .addColumn('last_cursor', int64)
        .addColumn('app_version', 'text')
        .addColumn('outbox_backlog', 'integer')
        .execute();

      await db.schema
        .createTable('inbox')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('kiosk_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('payload_hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('inbox_kind_received').on('inbox').columns(['kind', 'received_at']).execute();

      await db.schema
        .createTable('search_stats')
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('query', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('no_result_count', 'integer', (c) => c.notNull())
        .addColumn('last_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('search_stats_pk', ['locale', 'query'])
        .execute();

      await db.schema
        .createTable('meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      const meta = [
        ['hub_id', randomUUID()],
        ['head', '0'],
        ['revision', '0'],
        ['tombstone_horizon', '0'],
        ['snapshot_horizon', '0'],
      ];
      for (const [key, value] of meta) await sql`INSERT INTO meta (key, value) VALUES (${key}, ${value})`.execute(db);
    },
  };
}

/** Customers (keyed hashes and masked forms only), SMS challenges, customer sessions, orders. */
function migration0002(dialect: Dialect): Migration {
  const int64 = dialect === 'postgres' ? sql`bigint` : sql`integer`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('customers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('id_hash', 'text', (c) => c.unique())
        .addColumn('id_masked', 'text')
        .addColumn('phone_hash', 'text', (c) => c.unique())
        .addColumn('phone_masked', 'text')
        .addColumn('name_masked', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('sms_challenges')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('phone_hash', 'text', (c) => c.notNull())
        .addColumn('kiosk_id', 'text', (c) => c.notNull())
        .addColumn('customer_id', 'text')
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', int64, (c) => c.notNull())
        .addColumn('expires_at', int64, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('closed', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('sms_challenges_phone').on('sms_challenges').columns(['phone_hash', 'created_at']).execute();
      await db.schema.createIndex('sms_challenges_kiosk').on('sms_challenges').columns(['kiosk_id', 'created_at']).execute();
      await db.schema
        .createTable('customer_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('kiosk_id', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', int64, (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createTable('orders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('paid', 'integer', (c) => c.notNull())
        .addColumn('refunded', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('items', 'text', (c) => c.notNull())
        .addColumn('delivery', 'text', (c) => c.notNull())
        .addColumn('timeline', 'text', (c) => c.notNull())
        .addColumn('placed_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('orders_customer').on('orders').columns(['customer_id', 'placed_at']).execute();
      await db.schema
        .createTable('order_requests')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('kiosk_id', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('amount', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}

/** The fleet view shows each kiosk's app-update state, reported with its sync polls. */
const migration0003: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('kiosks').addColumn('update_state', 'text').execute();
  },
};

/** Fingerprint templates (sealed with AES-256-GCM, hub/identity/fingerprint.ts) and 1:1 challenges. */
function migration0004(dialect: Dialect): Migration {
  const int64 = dialect === 'postgres' ? sql`bigint` : sql`integer`;
  const bytes = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('fingerprint_templates')
        .addColumn('customer_id', 'text', (c) => c.primaryKey())
        .addColumn('sealed', bytes, (c) => c.notNull())
        .addColumn('enrolled_by', 'text', (c) => c.notNull())
        .addColumn('enrolled_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('fingerprint_challenges')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('phone_hash', 'text', (c) => c.notNull())
        .addColumn('kiosk_id', 'text', (c) => c.notNull())
        .addColumn('customer_id', 'text')
        .addColumn('created_at', int64, (c) => c.notNull())
        .addColumn('expires_at', int64, (c) => c.notNull())
        .addColumn('releases', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('results', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('closed', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('fingerprint_challenges_phone').on('fingerprint_challenges').columns(['phone_hash', 'created_at']).execute();
      await db.schema.createIndex('fingerprint_challenges_kiosk').on('fingerprint_challenges').columns(['kiosk_id', 'created_at']).execute();
    },
  };
}

/** Queue numbers (hub/queue/queue.ts): a counter per branch, service and day; kiosks' offline letters. */
const migration0005: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('queue_counters')
      .addColumn('branch', 'text', (c) => c.notNull())
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('last_number', 'integer', (c) => c.notNull())
      .addColumn('called', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('queue_counters_pk', ['branch', 'service', 'day'])
      .execute();
    await db.schema
      .createTable('queue_kiosk_letters')
      .addColumn('branch', 'text', (c) => c.notNull())
      .addColumn('kiosk_id', 'text', (c) => c.notNull())
      .addColumn('letter', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('queue_kiosk_letters_pk', ['branch', 'kiosk_id'])
      .addUniqueConstraint('queue_kiosk_letters_letter', ['branch', 'letter'])
      .execute();
  },
};

/** The fleet view shows each kiosk's device health (contracts/device-health.ts), reported with its polls. */
const migration0006: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('kiosks').addColumn('device_health', 'text').execute();
  },
};

/** Commands to kiosks (sync, restart, update-now) and each kiosk's reported core uptime. */
function migration0007(dialect: Dialect): Migration {
  const int64 = dialect === 'postgres' ? sql`bigint` : sql`integer`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('kiosks').addColumn('uptime_seconds', int64).execute();
      await db.schema.alterTable('kiosks').addColumn('uptime_at', 'text').execute();
      await db.schema
        .createTable('kiosk_commands')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kiosk_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'deferred', 'done', 'refused', 'failed')`))
        .addColumn('detail', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('seen_at', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .execute();
      await db.schema.createIndex('kiosk_commands_kiosk').on('kiosk_commands').columns(['kiosk_id', 'state', 'created_at']).execute();
    },
  };
}

/**
 * People (hub/accounts/): accounts with a role, console sessions (only a hash of the session id),
 * personal API tokens (hashed), failed-login counters (in the database so every replica sees the
 * same count), and the audit log, append-only: a trigger refuses UPDATE and DELETE on both engines
 * (on PostgreSQL the hub connects as the table's owner, whom REVOKE would not bind; TRUNCATE too).
 */
function migration0008(dialect: Dialect): Migration {
  const int64 = dialect === 'postgres' ? sql`bigint` : sql`integer`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_key', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'editor', 'agent', 'branch-manager')`))
        .addColumn('branch', 'text')
        .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('local', 'sso')`))
        .addColumn('password_hash', 'text')
        .addColumn('sso_subject', 'text', (c) => c.unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('disabled_at', 'text')
        .addColumn('last_login_at', 'text')
        .execute();
      await db.schema
        .createTable('user_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('created_at', int64, (c) => c.notNull())
        .addColumn('last_seen_at', int64, (c) => c.notNull())
        .addColumn('idle_expires_at', int64, (c) => c.notNull())
        .addColumn('absolute_expires_at', int64, (c) => c.notNull())
        .addColumn('ended_at', int64)
        .addColumn('end_reason', 'text')
        .addColumn('address', 'text')
        .execute();
      await db.schema.createIndex('user_sessions_user').on('user_sessions').columns(['user_id', 'ended_at']).execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', int64, (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('last_used_at', 'text')
        .execute();
      await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();
      await db.schema
        .createTable('login_failures')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('window_started_at', int64, (c) => c.notNull())
        .addColumn('locked_until', int64)
        .execute();

      const id = dialect === 'postgres' ? sql`bigint generated always as identity primary key` : sql`integer primary key autoincrement`;
      await sql`CREATE TABLE audit_log (
        id ${id},
        at text NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind in ('user', 'kiosk', 'anonymous', 'system')),
        actor_id text,
        actor_name text,
        role text,
        action text NOT NULL,
        target text,
        result text NOT NULL CHECK (result in ('ok', 'denied', 'failed', 'locked', 'error')),
        status integer,
        address text,
        detail text
      )`.execute(db);
      await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
      await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_name', 'id']).execute();
      await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'id']).execute();
      if (dialect === 'postgres') {
        await sql`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`.execute(db);
        await sql`CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
        await sql`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`.execute(db);
      } else {
        await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
        await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
      }
    },
  };
}

/**
 * The console's fleet and update rollouts (issue 13): a bounded status history (one row per kiosk
 * per 5-minute bucket, pruned after 24 h: hub/fleet/status-history.ts), a semver sort key for the
 * kiosk list, and hosted update releases per channel (hub/updates/).
 */
function migration0009(dialect: Dialect): Migration {
  const int64 = dialect === 'postgres' ? sql`bigint` : sql`integer`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('kiosk_status_history')
        .addColumn('kiosk_id', 'text', (c) => c.notNull())
        .addColumn('bucket_start', 'text', (c) => c.notNull())
        .addColumn('polls', 'integer', (c) => c.notNull())
        .addColumn('app_version', 'text')
        .addColumn('update_state', 'text')
        .addColumn('health', 'text')
        .addColumn('device_health', 'text')
        .addColumn('outbox_backlog', 'integer')
        .addColumn('last_cursor', int64)
        .addPrimaryKeyConstraint('kiosk_status_history_pk', ['kiosk_id', 'bucket_start'])
        .execute();
      await db.schema.createIndex('kiosk_status_history_bucket').on('kiosk_status_history').column('bucket_start').execute();

      // Derived columns the kiosk list filters and sorts on, filled for the kiosks already known.
      await db.schema.alterTable('kiosks').addColumn('app_version_key', 'text').execute();
      await db.schema.alterTable('kiosks').addColumn('health', 'text').execute();
      const kiosks = await sql<{ id: string; app_version: string | null; device_health: string | null }>`SELECT id, app_version, device_health FROM kiosks`.execute(db);
      for (const k of kiosks.rows) {
        const key = k.app_version === null ? null : versionSortKey(k.app_version);
        await sql`UPDATE kiosks SET app_version_key = ${key}, health = ${healthLevel(deviceHealthOf(k.device_health))} WHERE id = ${k.id}`.execute(db);
      }

      await db.schema
        .createTable('update_channels')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('release_id', 'text')
        .addColumn('staging_percentage', 'integer', (c) => c.notNull().defaultTo(100))
        .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('external_feed_url', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('update_releases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('version_key', 'text', (c) => c.notNull())
        .addColumn('yml', 'text', (c) => c.notNull())
        .addColumn('release_date', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text')
        .addUniqueConstraint('update_releases_channel_version', ['channel', 'version'])
        .execute();
      await db.schema
        .createTable('update_files')
        .addColumn('release_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sha512', 'text', (c) => c.notNull())
        .addColumn('size', int64, (c) => c.notNull())
        .addColumn('uploaded_at', 'text')
        .addPrimaryKeyConstraint('update_files_pk', ['release_id', 'name'])
        .execute();
    },
  };
}


export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      return { '0001-init': migration0001(dialect), '0002-identity-orders': migration0002(dialect), '0003-kiosk-update-state': migration0003, '0004-fingerprint-templates': migration0004(dialect), '0005-queue-numbers': migration0005, '0006-kiosk-device-health': migration0006, '0007-kiosk-commands': migration0007(dialect), '0008-accounts': migration0008(dialect), '0009-fleet-console': migration0009(dialect) };
    },
  };
}

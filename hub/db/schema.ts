// Table types of the hub database (the same schema on SQLite and PostgreSQL; see migrations.ts).
// Times are ISO-8601 text on both, sequence numbers are JS numbers (bigint on PostgreSQL, parsed).
import type { Generated } from 'kysely';

export interface ChangesTable {
  /** Hub-assigned, strictly increasing; assigned by the writer holding the publish lock. */
  seq: number;
  kind: string;
  key: string;
  /** '' for everyone, 'branch:<name>' or 'kiosk:<id>' for configuration layers. */
  scope: string;
  op: 'put' | 'delete';
  /** Canonical JSON of the entity (put) or null (delete); served verbatim. */
  data: string | null;
  hash: string;
  revision: number;
  created_at: string;
  /** seq of the change that replaced this one; null while it is the current state. */
  superseded_by: number | null;
  superseded_at: string | null;
}

export interface BlobsTable {
  sha256: string;
  media_type: string;
  size: number;
  data: Buffer;
  created_at: string;
}

export interface RevisionsTable {
  id: number;
  kind: 'kb' | 'config';
  created_at: string;
  head: number;
  summary: string;
}

export interface KiosksTable {
  id: string;
  name: string;
  branch: string | null;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
  last_seen_at: string | null;
  last_cursor: number | null;
  app_version: string | null;
  outbox_backlog: number | null;
  update_state: string | null;
  /** Canonical device-health summary (contracts/device-health.ts) from the last poll that sent a valid one. */
  device_health: string | null;
  /** Core uptime (seconds) from the last poll that sent a valid one, and when it was reported. */
  uptime_seconds: number | null;
  uptime_at: string | null;
  /** versionSortKey(app_version) (hub/updates/versions.ts): the kiosk list sorts versions as semver. */
  app_version_key?: string | null;
  /** healthLevel(device_health) (contracts/fleet-view.ts), for the list's filter and sort. */
  health?: string | null;
}

/** One row per kiosk per 5-minute bucket of its polls, pruned after 24 h (hub/fleet/status-history.ts). */
export interface KioskStatusHistoryTable {
  kiosk_id: string;
  /** ISO start of the bucket. */
  bucket_start: string;
  polls: number;
  app_version: string | null;
  update_state: string | null;
  /** Worst health level reported in the bucket (contracts/fleet-view.ts HealthLevel). */
  health: string | null;
  /** Last canonical device-health report in the bucket. */
  device_health: string | null;
  /** Largest backlog reported in the bucket. */
  outbox_backlog: number | null;
  last_cursor: number | null;
}

/** Update channels: the release each serves and its rollout (hub/updates/rollouts.ts). */
export interface UpdateChannelsTable {
  name: string;
  release_id: string | null;
  staging_percentage: number;
  /** 1: offered to nobody more. */
  paused: number;
  external_feed_url: string | null;
  updated_at: string;
}

export interface UpdateReleasesTable {
  id: string;
  channel: string;
  version: string;
  version_key: string;
  /** The uploaded latest-linux.yml, as text (hub/updates/release-yml.ts). */
  yml: string;
  release_date: string | null;
  created_at: string;
  created_by: string;
  published_at: string | null;
}

/** A release's artifacts; the bytes are files named by their sha512 (hub/updates/artifact-store.ts). */
export interface UpdateFilesTable {
  release_id: string;
  name: string;
  /** base64, as in the yml */
  sha512: string;
  size: number;
  uploaded_at: string | null;
}

/** Commands central IT sends a kiosk (hub/fleet/commands.ts). */
export interface KioskCommandsTable {
  id: string;
  kiosk_id: string;
  type: string;
  state: 'pending' | 'deferred' | 'done' | 'refused' | 'failed';
  detail: string | null;
  created_at: string;
  seen_at: string | null;
  updated_at: string;
  finished_at: string | null;
}

export interface InboxTable {
  key: string;
  kiosk_id: string;
  kind: string;
  created_at: string;
  received_at: string;
  payload: string;
  payload_hash: string;
}

export interface SearchStatsTable {
  locale: string;
  query: string;
  count: number;
  no_result_count: number;
  last_at: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface CustomersTable {
  id: string;
  /** HMAC-SHA256(hub secret, ID number): the only form of the ID number the hub keeps. */
  id_hash: string | null;
  id_masked: string | null;
  phone_hash: string | null;
  phone_masked: string | null;
  name_masked: string;
  created_at: string;
}

export interface SmsChallengesTable {
  id: string;
  phone_hash: string;
  kiosk_id: string;
  customer_id: string | null;
  code_hash: string;
  /** ms since the epoch */
  created_at: number;
  expires_at: number;
  attempts: number;
  /** 1 once used or locked */
  closed: number;
}

export interface CustomerSessionsTable {
  id: string;
  token_hash: string;
  customer_id: string;
  kiosk_id: string;
  method: string;
  created_at: string;
  expires_at: number;
  revoked_at: string | null;
}

export interface OrdersTable {
  id: string;
  customer_id: string;
  title: string;
  status: string;
  currency: string;
  total: number;
  paid: number;
  refunded: number;
  /** JSON */
  items: string;
  delivery: string;
  timeline: string;
  placed_at: string;
  updated_at: string;
}

export interface OrderRequestsTable {
  key: string;
  kiosk_id: string;
  order_id: string;
  request_hash: string;
  kind: string;
  amount: number | null;
  created_at: string;
}

/** Console and script users (hub/accounts/users.ts). `name_key` is the lower-cased name (unique). */
export interface UsersTable {
  id: string;
  name: string;
  name_key: string;
  role: 'admin' | 'editor' | 'agent' | 'branch-manager';
  branch: string | null;
  source: 'local' | 'sso';
  /** argon2id PHC string; null for SSO users (they never sign in with a password). */
  password_hash: string | null;
  /** `<issuer> <sub>` of an SSO user. */
  sso_subject: string | null;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
  last_login_at: string | null;
}

/** Console sessions (hub/accounts/sessions.ts); times in ms since the epoch. */
export interface UserSessionsTable {
  id: string;
  /** sha256 of the cookie's secret: a copy of the table lets nobody sign in. */
  secret_hash: string;
  user_id: string;
  method: 'password' | 'sso';
  created_at: number;
  last_seen_at: number;
  idle_expires_at: number;
  absolute_expires_at: number;
  ended_at: number | null;
  end_reason: string | null;
  address: string | null;
}

/** Personal API tokens (hub/accounts/tokens.ts). */
export interface ApiTokensTable {
  id: string;
  token_hash: string;
  user_id: string;
  name: string;
  /** JSON array of scopes (contracts/accounts.ts TokenScope). */
  scopes: string;
  created_at: string;
  /** ms since the epoch */
  expires_at: number;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** Failed logins per user name and per address (hub/accounts/lockout.ts); times in ms. */
export interface LoginFailuresTable {
  key: string;
  failures: number;
  window_started_at: number;
  locked_until: number | null;
}

/** Append-only (triggers refuse UPDATE and DELETE); hub/audit/audit-log.ts. */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_kind: 'user' | 'kiosk' | 'anonymous' | 'system';
  actor_id: string | null;
  actor_name: string | null;
  role: string | null;
  action: string;
  target: string | null;
  result: 'ok' | 'denied' | 'failed' | 'locked' | 'error';
  status: number | null;
  address: string | null;
  detail: string | null;
}

export interface HubSchema {
  customers: CustomersTable;
  sms_challenges: SmsChallengesTable;
  customer_sessions: CustomerSessionsTable;
  orders: OrdersTable;
  order_requests: OrderRequestsTable;
  changes: ChangesTable;
  blobs: BlobsTable;
  revisions: RevisionsTable;
  kiosks: KiosksTable;
  kiosk_commands: KioskCommandsTable;
  kiosk_status_history: KioskStatusHistoryTable;
  update_channels: UpdateChannelsTable;
  update_releases: UpdateReleasesTable;
  update_files: UpdateFilesTable;
  inbox: InboxTable;
  search_stats: SearchStatsTable;
  meta: MetaTable;
  users: UsersTable;
  user_sessions: UserSessionsTable;
  api_tokens: ApiTokensTable;
  login_failures: LoginFailuresTable;
  audit_log: AuditLogTable;
}

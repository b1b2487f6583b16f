// Live events from the hub to the console: server-sent events on GET /v1/events (hub/events/).
// One table declares each event type, its data and who may receive it — the same pattern as the
// route table. A branch-scoped event goes to a branch manager only when it is about their branch;
// fleet-wide events go to every role listed.
import { z } from 'zod';
import { CommandInfo, ConfigTarget } from './hub-routes/admin.ts';
import { KioskSummary } from './fleet-view.ts';
import { ChannelInfo, ReleaseInfo } from './updates.ts';

const FLEET_ROLES = ['admin', 'branch-manager'] as const;

interface EventType<D extends z.ZodType> {
  data: D;
  /** Roles that receive it (HUB_ROLES names). */
  roles: readonly string[];
  /** true: delivered to a branch manager only when event.branch is their branch. */
  branchScoped: boolean;
  summary: string;
}
const event = <D extends z.ZodType>(e: EventType<D>) => e;

export const HUB_EVENT_TYPES = {
  'kiosk.status': event({
    summary: 'kiosks whose status changed (online, version, update state, health, backlog, cursor), coalesced per branch and flush',
    data: z.strictObject({ kiosks: z.array(KioskSummary) }),
    roles: FLEET_ROLES,
    branchScoped: true,
  }),
  'kiosk.enrolled': event({ summary: 'a kiosk was enrolled (or given a new token)', data: z.strictObject({ kiosk: KioskSummary }), roles: FLEET_ROLES, branchScoped: true }),
  'kiosk.revoked': event({ summary: 'a kiosk was revoked', data: z.strictObject({ kiosk: KioskSummary }), roles: FLEET_ROLES, branchScoped: true }),
  'command.updated': event({ summary: 'a command was sent, or its kiosk reported on it', data: z.strictObject({ command: CommandInfo }), roles: FLEET_ROLES, branchScoped: true }),
  'config.changed': event({
    summary: 'a configuration layer was written or removed',
    data: z.strictObject({ target: ConfigTarget, hash: z.string().nullable() }),
    roles: FLEET_ROLES,
    // a branch or kiosk layer concerns that branch; the fleet layer concerns every branch (branch null)
    branchScoped: true,
  }),
  'release.changed': event({ summary: 'a release was created, received an artifact, was published or deleted', data: z.strictObject({ release: ReleaseInfo }), roles: ['admin'], branchScoped: false }),
  'rollout.changed': event({ summary: "a channel's rollout changed (release, percentage, pause, feed)", data: z.strictObject({ channel: ChannelInfo }), roles: FLEET_ROLES, branchScoped: false }),
  /** Sent on connect when Last-Event-ID cannot be resumed: reload everything shown. */
  reset: event({ summary: 'events were missed: reload the data shown', data: z.strictObject({ reason: z.string() }), roles: ['admin', 'editor', 'agent', 'branch-manager'], branchScoped: false }),
} as const;

export type HubEventType = keyof typeof HUB_EVENT_TYPES;
export const HUB_EVENT_TYPE_NAMES = Object.keys(HUB_EVENT_TYPES) as HubEventType[];
export type HubEventData<T extends HubEventType> = z.infer<(typeof HUB_EVENT_TYPES)[T]['data']>;

/**
 * What the hub publishes. `branch`: the branch an event is about (branch-scoped types); null for
 * the whole fleet or a kiosk without a branch — which a branch manager does not receive, except a
 * fleet-wide config change.
 */
export type HubEventInput = { [T in HubEventType]: { type: T; branch: string | null; data: HubEventData<T> } }[HubEventType];

/** As delivered: the `data:` line of each SSE frame (`id:` and `event:` repeat id and type). */
export type HubEvent = HubEventInput & { id: string; at: string };

const frame = <T extends HubEventType>(type: T) =>
  z.strictObject({ id: z.string(), at: z.string(), type: z.literal(type), branch: z.string().nullable(), data: HUB_EVENT_TYPES[type].data as (typeof HUB_EVENT_TYPES)[T]['data'] });

/** One event as delivered, for clients that validate what they receive. */
export const HubEventSchema = z.discriminatedUnion('type', [
  frame('kiosk.status'),
  frame('kiosk.enrolled'),
  frame('kiosk.revoked'),
  frame('command.updated'),
  frame('config.changed'),
  frame('release.changed'),
  frame('rollout.changed'),
  frame('reset'),
]);

export const EventsQuery = z.strictObject({
  /** Comma-separated event types to receive (default: every type the caller may see). */
  types: z
    .string()
    .max(500)
    .refine((s) => s.split(',').every((t) => (HUB_EVENT_TYPE_NAMES as string[]).includes(t)), 'types: comma-separated event type names')
    .optional(),
  /** For clients that cannot set the Last-Event-ID header on their first connection. */
  lastEventId: z.string().max(100).optional(),
});

/** Who may receive an event: a principal's role and branch (branch managers: one branch). */
export function eventVisibleTo(e: Pick<HubEventInput, 'type' | 'branch'> & { data?: unknown }, principal: { role: string; branch: string | null }): boolean {
  const def = HUB_EVENT_TYPES[e.type];
  if (!def.roles.includes(principal.role)) return false;
  if (principal.role !== 'branch-manager' || !def.branchScoped) return true;
  if (e.type === 'config.changed' && (e.data as { target?: { scope?: string } } | undefined)?.target?.scope === 'fleet') return true;
  return principal.branch !== null && e.branch === principal.branch;
}

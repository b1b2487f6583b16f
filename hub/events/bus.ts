// The hub's live-event bus: what changed, for the console (server-sent events, hub/events/sse.ts).
// An interface so that a hub cluster (issue 16) can back it with PostgreSQL LISTEN/NOTIFY and give
// every replica's consoles every replica's events; this process-local implementation is what a
// single hub runs. It keeps the last events in a ring so a console that reconnects with
// Last-Event-ID gets what it missed — or, when that is gone, a `reset` telling it to reload.
import { randomBytes } from 'node:crypto';
import type { HubEvent, HubEventInput } from '../../contracts/hub-events.ts';

export interface EventSubscription {
  close(): void;
}

export interface EventBus {
  /** Assigns the event its id and time and delivers it to every subscriber, in order. */
  publish(event: HubEventInput): void;
  /**
   * `listener` receives every event published from now on that `filter` accepts. With `after` (an
   * id this bus handed out) it first receives the events after it; `resumed: false` when they can
   * no longer be told (too old, or an id from before a restart) — the subscriber must reload.
   */
  subscribe(options: { filter?: (e: HubEvent) => boolean; after?: string }, listener: (e: HubEvent) => void): EventSubscription & { resumed: boolean };
  close(): Promise<void>;
}

export interface MemoryEventBusOptions {
  /** Events kept for resuming (default 4096). */
  keep?: number;
  now?: () => Date;
}

export class MemoryEventBus implements EventBus {
  /** Ids are `<epoch>-<n>`: the epoch changes at each start, so an id from before never resumes wrongly. */
  private readonly epoch = randomBytes(4).toString('hex');
  private seq = 0;
  private readonly ring: HubEvent[] = [];
  private readonly keep: number;
  private readonly now: () => Date;
  private readonly listeners = new Set<{ filter?: (e: HubEvent) => boolean; listener: (e: HubEvent) => void }>();

  constructor(options: MemoryEventBusOptions = {}) {
    this.keep = options.keep ?? 4096;
    this.now = options.now ?? (() => new Date());
  }

  publish(input: HubEventInput): void {
    // id and time first: a reader can take them from the start of the frame
    const event = { id: `${this.epoch}-${++this.seq}`, at: this.now().toISOString(), ...input } as HubEvent;
    this.ring.push(event);
    if (this.ring.length > this.keep) this.ring.splice(0, this.ring.length - this.keep);
    for (const l of [...this.listeners]) {
      if (l.filter && !l.filter(event)) continue;
      try {
        l.listener(event);
      } catch {
        // one subscriber's failure never stops the others (the SSE layer handles its own errors)
      }
    }
  }

  private missedSince(after: string): HubEvent[] | null {
    const m = /^([0-9a-f]{8})-(\d{1,15})$/.exec(after);
    if (!m || m[1] !== this.epoch) return null;
    const n = Number(m[2]);
    if (n > this.seq) return null;
    if (n === this.seq) return [];
    const first = this.ring[0];
    // the oldest kept event must directly follow `after`, else some were dropped
    if (!first || Number(first.id.split('-')[1]) > n + 1) return null;
    return this.ring.filter((e) => Number(e.id.split('-')[1]) > n);
  }

  subscribe(options: { filter?: (e: HubEvent) => boolean; after?: string }, listener: (e: HubEvent) => void): EventSubscription & { resumed: boolean } {
    let resumed = options.after === undefined;
    if (options.after !== undefined) {
      const missed = this.missedSince(options.after);
      resumed = missed !== null;
      for (const e of missed ?? []) if (!options.filter || options.filter(e)) listener(e);
    }
    const entry = { filter: options.filter, listener };
    this.listeners.add(entry);
    return { resumed, close: () => void this.listeners.delete(entry) };
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

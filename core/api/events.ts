// Core → renderer events, checked against the contract before they go out on any transport.
import { KIOSK_EVENTS, type KioskEvent, type KioskEventPayload } from '../../contracts/kiosk-api.ts';
import type { PromptListener } from '../devices/device-ports.ts';

export type EventListener = (event: KioskEvent, payload: unknown) => void;

export class KioskEventBus {
  private readonly listeners = new Set<EventListener>();

  emit<E extends KioskEvent>(event: E, payload: KioskEventPayload<E>): void {
    const checked = KIOSK_EVENTS[event].parse(payload);
    for (const l of [...this.listeners]) l(event, checked);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}

/**
 * A device's prompts as 'device.prompt' on the bus (the fingerprint flows' listener). Ports opened
 * by core/devices/kiosk-devices.ts already put every prompt on the bus right after giving it to us
 * (same tick); a port without that (tests, other shells) does not. Emitting after a microtask
 * unless the bus carried it meanwhile gives exactly one event either way.
 */
export function busPrompter(events: KioskEventBus): PromptListener {
  return (p) => {
    let seen = false;
    const off = events.subscribe((event, payload) => {
      const q = payload as typeof p;
      if (event === 'device.prompt' && q.device === p.device && q.step === p.step) seen = true;
    });
    queueMicrotask(() => {
      off();
      if (!seen) events.emit('device.prompt', p);
    });
  };
}

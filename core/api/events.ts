// Core → renderer events, checked against the contract before they go out on any transport.
import { KIOSK_EVENTS, type KioskEvent, type KioskEventPayload } from '../../contracts/kiosk-api.ts';

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

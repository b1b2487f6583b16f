// What every simulator is: a protocol engine that answers bytes with bytes, plus text control
// commands ("insert zhang", "paper out"…). Hosts (serial port, TCP) feed it; it knows no I/O.
// Events: 'activity' (line: string) — what happened, for the operator's console.
import { EventEmitter } from 'node:events';

export interface SimulatorSession {
  receive(chunk: Buffer): void;
  end(): void;
}

export abstract class SimulatorEngine extends EventEmitter {
  abstract readonly kind: 'idcard' | 'fingerprint' | 'printer';
  /** One conversation (a serial port's lifetime, or one TCP connection). */
  abstract openSession(reply: (bytes: Buffer) => void): SimulatorSession;
  /** Runs one control command; returns the answer line (starting with 'ok' or 'error'). */
  abstract control(line: string): string;
  abstract help(): string[];

  protected activity(line: string): void {
    this.emit('activity', line);
  }
}

export const words = (line: string): string[] => line.trim().toLowerCase().split(/\s+/u).filter(Boolean);

// Request/response plumbing shared by the framed drivers: one request at a time (a mutex), frames
// from the scanner queued for the waiting request, deadlines, cancellation, and a clean typed
// failure when the port goes away mid-request.
import { AbortedError, TimeoutError, TransportError, type DeviceKind } from '../errors.ts';
import type { FrameScanner } from '../codecs/frame-scanner.ts';
import type { DeviceLogger } from '../log.ts';
import type { Transport } from '../transports/transport.ts';

export interface ChannelStats {
  framesIn: number;
  bytesOut: number;
  skippedBytes: number;
  timeouts: number;
}

export class FrameChannel {
  readonly stats: ChannelStats = { framesIn: 0, bytesOut: 0, skippedBytes: 0, timeouts: 0 };
  private frames: Buffer[] = [];
  private waiter: { resolve: (f: Buffer) => void; reject: (e: Error) => void } | undefined;
  private lock: Promise<unknown> = Promise.resolve();
  private closedError: TransportError | undefined;
  /** The last wait ended in a timeout: an answer may still be on its way (see discardStale). */
  private timedOut = false;

  constructor(
    readonly transport: Transport,
    private readonly scanner: FrameScanner,
    private readonly device: DeviceKind,
    private readonly logger: DeviceLogger,
  ) {
    transport.on('data', (chunk) => {
      for (const e of scanner.push(chunk)) {
        if (e.type === 'frame') {
          this.stats.framesIn++;
          if (this.waiter) {
            const w = this.waiter;
            this.waiter = undefined;
            w.resolve(e.frame);
          } else if (this.frames.length < 16) this.frames.push(e.frame);
        } else {
          this.stats.skippedBytes += e.bytes;
          logger.warn({ device, reason: e.reason, bytes: e.bytes }, 'skipped bytes that are not a valid frame');
        }
      }
    });
    transport.on('close', (err) => {
      this.closedError = err ?? new TransportError('closed', `${transport.description} was closed`, device);
      this.waiter?.reject(this.closedError);
      this.waiter = undefined;
    });
  }

  get isOpen(): boolean {
    return this.closedError === undefined;
  }

  /** Runs fn with the channel to itself (requests never interleave). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /**
   * Drops queued frames and partial bytes left over from an earlier (timed-out) exchange. After a
   * timeout, first waits `graceMs` for the late answer to arrive and drops it too: these protocols
   * have no sequence numbers, so a late ack sent after our next command would be read as that
   * command's answer (a GenImg "no finger" taken as Img2Tz's failure, say).
   */
  async discardStale(graceMs = 0): Promise<void> {
    if (this.timedOut && graceMs > 0) await new Promise((r) => setTimeout(r, graceMs));
    this.timedOut = false;
    this.frames = [];
    const dropped = this.scanner.reset();
    if (dropped) this.logger.debug({ device: this.device, bytes: dropped }, 'dropped stale partial frame');
  }

  async send(bytes: Uint8Array): Promise<void> {
    if (this.closedError) throw this.closedError;
    this.stats.bytesOut += bytes.length;
    await this.transport.write(bytes);
  }

  nextFrame(timeoutMs: number, signal?: AbortSignal): Promise<Buffer> {
    if (this.closedError) return Promise.reject(this.closedError);
    if (signal?.aborted) return Promise.reject(new AbortedError(this.device));
    const queued = this.frames.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiter = undefined;
      };
      const onAbort = (): void => {
        done();
        reject(new AbortedError(this.device));
      };
      const timer = setTimeout(() => {
        done();
        this.stats.timeouts++;
        this.timedOut = true;
        reject(new TimeoutError(`no answer from the ${this.device} device within ${timeoutMs} ms`, this.device));
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiter = {
        resolve: (f) => {
          done();
          resolve(f);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      };
    });
  }
}

/** Sleep that ends early (rejecting) when the signal fires. */
export function delay(ms: number, signal?: AbortSignal, device?: DeviceKind): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError(device));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new AbortedError(device));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

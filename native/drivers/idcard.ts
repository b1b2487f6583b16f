// ID-card reader driver (SAM over serial). A card read is find → select → read; waitForCard polls
// until one succeeds. Every exchange has a deadline and bounded retries; transient trouble (timeout,
// corrupted frame, reader reporting our frame as damaged) is retried, card answers are not.
import {
  SamCommand, SW3, SamError, createSamScanner, decodeIdText, decodeReadData, decodeSamReply, encodeSamCommand,
  type IdCardText, type SamReplyFrame,
} from '../codecs/idcard/index.ts';
import { DecodeError, TimeoutError, type DeviceError } from '../errors.ts';
import { silentLogger, type DeviceLogger } from '../log.ts';
import type { Transport } from '../transports/transport.ts';
import { FrameChannel, delay } from './channel.ts';

export interface IdCardReaderOptions {
  /** Deadline for short replies (status, find, select). */
  timeoutMs?: number;
  /** Deadline for the read reply (1295 bytes ≈ 112 ms at 115200 baud, plus the card's own time). */
  readTimeoutMs?: number;
  retries?: number;
  logger?: DeviceLogger;
}

const REDACTED = '[personal data: id card]';

/**
 * What a card read yields. Personal data: its JSON and inspect forms are redacted so that an
 * accidental `logger.info({ card })` or console.log writes nothing personal.
 */
export class IdCard {
  constructor(
    readonly text: IdCardText,
    /** WLT-compressed photo (not decoded by the kiosk). */
    readonly photo: Buffer,
    readonly fingerprint: Buffer | undefined,
  ) {}

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }
}

export class IdCardReader {
  private readonly channel: FrameChannel;
  private readonly timeoutMs: number;
  private readonly readTimeoutMs: number;
  private readonly retries: number;
  private readonly logger: DeviceLogger;

  constructor(readonly transport: Transport, options: IdCardReaderOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.timeoutMs = options.timeoutMs ?? 500;
    this.readTimeoutMs = options.readTimeoutMs ?? 3000;
    this.retries = options.retries ?? 2;
    this.channel = new FrameChannel(transport, createSamScanner(), 'idcard', this.logger);
  }

  get stats(): FrameChannel['stats'] {
    return this.channel.stats;
  }

  /** Sends CMD Para and returns the (checked) reply, retrying transient failures. */
  command(cmdPara: readonly [number, number], options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<SamReplyFrame> {
    const [cmd, para] = cmdPara;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return this.channel.exclusive(async () => {
      let lastError: DeviceError | undefined;
      for (let attempt = 0; attempt <= this.retries; attempt++) {
        await this.channel.discardStale(timeoutMs);
        await this.channel.send(encodeSamCommand(cmd, para));
        try {
          const reply = decodeSamReply(await this.channel.nextFrame(timeoutMs, options.signal));
          if (reply.sw3 === 0x10 || reply.sw3 === 0x11) {
            lastError = new SamError(reply.sw3);
            this.logger.warn({ device: 'idcard', cmd, para, sw3: reply.sw3, attempt }, 'reader rejected our frame; retrying');
            continue;
          }
          this.logger.debug({ device: 'idcard', cmd, para, sw3: reply.sw3, dataBytes: reply.data.length }, 'reply');
          return reply;
        } catch (err) {
          if (!(err instanceof TimeoutError || err instanceof DecodeError)) throw err;
          lastError = err;
          this.logger.warn({ device: 'idcard', cmd, para, code: err.code, attempt }, 'no valid reply; retrying');
        }
      }
      throw lastError ?? new TimeoutError('no answer from the card reader', 'idcard');
    });
  }

  /** Checks the SAM module; throws SamError when it is not healthy. */
  async samStatus(signal?: AbortSignal): Promise<void> {
    const r = await this.command(SamCommand.samStatus, { signal });
    if (r.sw3 !== SW3.ok) throw new SamError(r.sw3);
  }

  async findCard(signal?: AbortSignal): Promise<boolean> {
    const r = await this.command(SamCommand.findCard, { signal });
    if (r.sw3 === SW3.cardFound) return true;
    if (r.sw3 === SW3.findFailed) return false;
    throw new SamError(r.sw3);
  }

  async selectCard(signal?: AbortSignal): Promise<boolean> {
    const r = await this.command(SamCommand.selectCard, { signal });
    if (r.sw3 === SW3.ok) return true;
    if (r.sw3 === SW3.selectFailed) return false;
    throw new SamError(r.sw3);
  }

  /** Reads the selected card. Throws SamError('read-failed') when the card moved away. */
  async readCard(options: { fingerprint?: boolean; signal?: AbortSignal } = {}): Promise<IdCard> {
    const cmd = options.fingerprint ? SamCommand.readTextWithFingerprint : SamCommand.readText;
    const r = await this.command(cmd, { timeoutMs: this.readTimeoutMs, signal: options.signal });
    if (r.sw3 !== SW3.ok) throw new SamError(r.sw3);
    const blocks = decodeReadData(r.data);
    const text = decodeIdText(blocks.text);
    this.logger.info({ device: 'idcard', photoBytes: blocks.photo.length, fingerprintBytes: blocks.fingerprint?.length ?? 0, checkDigitOk: text.checkDigitOk }, 'card read');
    return new IdCard(text, blocks.photo, blocks.fingerprint);
  }

  /**
   * One find → select → read attempt; undefined when no card is there. A card that was already
   * read and stayed on the reader fails "find" but still answers "select", so select is tried
   * either way (staff re-testing the same card, a customer who never lifted it).
   */
  async tryRead(options: { fingerprint?: boolean; signal?: AbortSignal } = {}): Promise<IdCard | undefined> {
    const found = await this.findCard(options.signal);
    if (!(await this.selectCard(options.signal))) return undefined;
    if (!found) this.logger.debug({ device: 'idcard' }, 'card already active; reading it again');
    return this.readCard(options);
  }

  /** Polls until a card is read (or the signal fires). A card pulled away mid-read is retried. */
  async waitForCard(options: { pollMs?: number; fingerprint?: boolean; signal?: AbortSignal } = {}): Promise<IdCard> {
    const pollMs = options.pollMs ?? 300;
    for (;;) {
      try {
        const card = await this.tryRead(options);
        if (card) return card;
      } catch (err) {
        if (!(err instanceof SamError && (err.sw3 === 0x41 || err.sw3 === 0x31 || err.sw3 === 0x32))) throw err;
        this.logger.warn({ device: 'idcard', code: err.code }, 'read attempt failed; waiting for the card again');
      }
      await delay(pollMs, options.signal, 'idcard');
    }
  }

  /**
   * Whether a card is on the reader. After a read, readers answer "find" with failure while the
   * card stays (it is already active) but "select" still succeeds, so either one means present.
   */
  async isCardPresent(signal?: AbortSignal): Promise<boolean> {
    return (await this.findCard(signal)) || (await this.selectCard(signal));
  }

  /** Resolves when the card has been taken away (two absent polls in a row). */
  async waitForRemoval(options: { pollMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    let absent = 0;
    while (absent < 2) {
      absent = (await this.isCardPresent(options.signal)) ? 0 : absent + 1;
      if (absent < 2) await delay(options.pollMs ?? 300, options.signal, 'idcard');
    }
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

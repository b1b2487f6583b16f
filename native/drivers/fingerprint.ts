// Fingerprint sensor driver (R30x / AS608 / ZFM-20 family).
//   handshake: VfyPwd → ReadSysPara (packet size for data transfers)
//   enrol:     GenImg → Img2Tz(1) → lift → GenImg → Img2Tz(2) → RegModel → UpChar(1) → template
//   verify:    DownChar(2, template) → GenImg → Img2Tz(1) → Match → score vs threshold
import {
  Confirm, FingerprintError, FpCommand, Pid, createFingerprintScanner, decodePacket, encodeDataPackets, parseAck,
  parseSysParams, FP_DEFAULT_ADDRESS, type Ack, type CharBuffer, type FingerprintPacket, type SysParams,
} from '../codecs/fingerprint/index.ts';
import { DecodeError, TimeoutError, type DeviceError } from '../errors.ts';
import { silentLogger, type DeviceLogger } from '../log.ts';
import type { Transport } from '../transports/transport.ts';
import { FrameChannel, delay } from './channel.ts';

export interface FingerprintSensorOptions {
  address?: number;
  password?: number;
  timeoutMs?: number;
  retries?: number;
  /** Default minimum Match score for verify(). */
  matchThreshold?: number;
  logger?: DeviceLogger;
}

export interface VerifyResult {
  matched: boolean;
  score: number;
  threshold: number;
}

/** Largest template we accept from UpChar (R307: 512 bytes; some modules 768). */
const MAX_TEMPLATE_BYTES = 4096;

export class FingerprintSensor {
  private readonly channel: FrameChannel;
  private readonly address: number;
  private readonly password: number;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly logger: DeviceLogger;
  readonly matchThreshold: number;
  private params: SysParams | undefined;

  constructor(readonly transport: Transport, options: FingerprintSensorOptions = {}) {
    this.address = options.address ?? FP_DEFAULT_ADDRESS;
    this.password = options.password ?? 0;
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.retries = options.retries ?? 2;
    this.matchThreshold = options.matchThreshold ?? 50;
    this.logger = options.logger ?? silentLogger;
    this.channel = new FrameChannel(transport, createFingerprintScanner(), 'fingerprint', this.logger);
  }

  get sysParams(): SysParams | undefined {
    return this.params;
  }

  private async nextPacket(signal?: AbortSignal): Promise<FingerprintPacket> {
    const p = decodePacket(await this.channel.nextFrame(this.timeoutMs, signal));
    if (p.address !== this.address) throw new DecodeError('fp-address', 'packet from another sensor address', 'fingerprint');
    return p;
  }

  private async nextAck(signal?: AbortSignal): Promise<Ack> {
    const p = await this.nextPacket(signal);
    if (p.pid !== Pid.ack) throw new DecodeError('fp-unexpected', `expected an ack, got PID ${p.pid}`, 'fingerprint');
    return parseAck(p.payload);
  }

  /** One command → ack exchange (inside the channel lock), retrying timeouts and damaged acks. */
  private async exchange(packet: Buffer, signal?: AbortSignal): Promise<Ack> {
    let lastError: DeviceError | undefined;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      await this.channel.discardStale(this.timeoutMs);
      await this.channel.send(packet);
      try {
        const ack = await this.nextAck(signal);
        if (ack.confirmation === Confirm.packetError) {
          lastError = new FingerprintError(ack.confirmation);
          continue;
        }
        this.logger.debug({ device: 'fingerprint', instr: packet[9], confirmation: ack.confirmation }, 'ack');
        return ack;
      } catch (err) {
        if (!(err instanceof TimeoutError || err instanceof DecodeError)) throw err;
        lastError = err;
        this.logger.warn({ device: 'fingerprint', instr: packet[9], code: err.code, attempt }, 'no valid ack; retrying');
      }
    }
    throw lastError ?? new TimeoutError('no answer from the fingerprint sensor', 'fingerprint');
  }

  command(packet: Buffer, signal?: AbortSignal): Promise<Ack> {
    return this.channel.exclusive(() => this.exchange(packet, signal));
  }

  private async expectOk(packet: Buffer, signal?: AbortSignal): Promise<Ack> {
    const ack = await this.command(packet, signal);
    if (ack.confirmation !== Confirm.ok) throw new FingerprintError(ack.confirmation);
    return ack;
  }

  /** VfyPwd + ReadSysPara. Throws FingerprintError('wrong-password') on a bad password. */
  async handshake(signal?: AbortSignal): Promise<SysParams> {
    await this.expectOk(FpCommand.vfyPwd(this.password, this.address), signal);
    const ack = await this.expectOk(FpCommand.readSysPara(this.address), signal);
    this.params = parseSysParams(ack.data);
    this.logger.info({ device: 'fingerprint', capacity: this.params.capacity, packetSize: this.params.packetSize }, 'sensor ready');
    return this.params;
  }

  async templateCount(signal?: AbortSignal): Promise<number> {
    const ack = await this.expectOk(FpCommand.templateNum(this.address), signal);
    if (ack.data.length < 2) throw new DecodeError('fp-ack-short', 'template count ack is too short', 'fingerprint');
    return ack.data.readUInt16BE(0);
  }

  /** GenImg once: true when an image was captured, false when no finger is on the sensor. */
  async captureImage(signal?: AbortSignal): Promise<boolean> {
    const ack = await this.command(FpCommand.genImg(this.address), signal);
    if (ack.confirmation === Confirm.ok) return true;
    if (ack.confirmation === Confirm.noFinger) return false;
    throw new FingerprintError(ack.confirmation);
  }

  async waitForFinger(options: { pollMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    while (!(await this.captureImage(options.signal))) await delay(options.pollMs ?? 150, options.signal, 'fingerprint');
  }

  async waitForLift(options: { pollMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    while (await this.captureImage(options.signal)) await delay(options.pollMs ?? 150, options.signal, 'fingerprint');
  }

  /** Img2Tz: features of the captured image into a character buffer. Quality problems throw. */
  async extract(buffer: CharBuffer, signal?: AbortSignal): Promise<void> {
    await this.expectOk(FpCommand.img2Tz(buffer, this.address), signal);
  }

  /** Match buffers 1 and 2: the sensor's score (0 when it says "no match"). */
  async match(signal?: AbortSignal): Promise<number> {
    const ack = await this.command(FpCommand.match(this.address), signal);
    if (ack.confirmation === Confirm.noMatch) return ack.data.length >= 2 ? ack.data.readUInt16BE(0) : 0;
    if (ack.confirmation !== Confirm.ok) throw new FingerprintError(ack.confirmation);
    if (ack.data.length < 2) throw new DecodeError('fp-ack-short', 'match ack has no score', 'fingerprint');
    return ack.data.readUInt16BE(0);
  }

  /** UpChar: the template in a character buffer, collected from data packets (02…, then 08). */
  upChar(buffer: CharBuffer, signal?: AbortSignal): Promise<Buffer> {
    return this.channel.exclusive(async () => {
      const ack = await this.exchange(FpCommand.upChar(buffer, this.address), signal);
      if (ack.confirmation !== Confirm.ok) throw new FingerprintError(ack.confirmation);
      const parts: Buffer[] = [];
      let total = 0;
      for (;;) {
        const p = await this.nextPacket(signal);
        if (p.pid !== Pid.data && p.pid !== Pid.end) throw new DecodeError('fp-unexpected', `expected a data packet, got PID ${p.pid}`, 'fingerprint');
        parts.push(p.payload);
        total += p.payload.length;
        if (total > MAX_TEMPLATE_BYTES) throw new DecodeError('fp-template-size', 'template upload is too long', 'fingerprint');
        if (p.pid === Pid.end) break;
      }
      return Buffer.concat(parts);
    });
  }

  /** DownChar: sends a template into a character buffer in data packets of the sensor's size. */
  downChar(buffer: CharBuffer, template: Uint8Array, signal?: AbortSignal): Promise<void> {
    if (template.length === 0 || template.length > MAX_TEMPLATE_BYTES) throw new RangeError('template size is out of range');
    const packetSize = this.params?.packetSize ?? 128;
    return this.channel.exclusive(async () => {
      const ack = await this.exchange(FpCommand.downChar(buffer, this.address), signal);
      if (ack.confirmation !== Confirm.ok) throw new FingerprintError(ack.confirmation);
      for (const p of encodeDataPackets(template, packetSize, this.address)) await this.channel.send(p);
    });
  }

  /** Two captures of the same finger → one template (returned to the host, e.g. for the hub). */
  async enroll(options: { pollMs?: number; signal?: AbortSignal; onStep?: (step: 'place' | 'lift' | 'place-again' | 'done') => void } = {}): Promise<Buffer> {
    options.onStep?.('place');
    await this.waitForFinger(options);
    await this.extract(1, options.signal);
    options.onStep?.('lift');
    await this.waitForLift(options);
    options.onStep?.('place-again');
    await this.waitForFinger(options);
    await this.extract(2, options.signal);
    await this.expectOk(FpCommand.regModel(this.address), options.signal);
    const template = await this.upChar(1, options.signal);
    options.onStep?.('done');
    this.logger.info({ device: 'fingerprint', templateBytes: template.length }, 'enrolled');
    return template;
  }

  /** 1:1 verification of the finger on the sensor against a template from elsewhere. */
  async verify(template: Uint8Array, options: { threshold?: number; pollMs?: number; signal?: AbortSignal } = {}): Promise<VerifyResult> {
    const threshold = options.threshold ?? this.matchThreshold;
    await this.downChar(2, template, options.signal);
    await this.waitForFinger(options);
    await this.extract(1, options.signal);
    const score = await this.match(options.signal);
    const matched = score >= threshold;
    this.logger.info({ device: 'fingerprint', matched, score, threshold }, 'verified');
    return { matched, score, threshold };
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

// R30x/AS608 fingerprint sensor simulator. Each finger number has a deterministic 512-byte template;
// two captures of the same finger match with a high score, different fingers do not.
//   place <n> [poor] · lift · status · password <n>
import {
  Confirm, Instr, Pid, createFingerprintScanner, decodePacket, encodeAck, encodeDataPackets, encodeSysParams,
  FP_DEFAULT_ADDRESS, type SysParams,
} from '../codecs/fingerprint/index.ts';
import { deterministicBytes } from './profiles.ts';
import { SimulatorEngine, words, type SimulatorSession } from './engine.ts';

export const TEMPLATE_BYTES = 512;

/** The template the simulator produces for finger n (also what tests and demos enrol). */
export function fingerTemplate(finger: number): Buffer {
  return deterministicBytes(`finger:${finger}`, TEMPLATE_BYTES);
}

/** Score between two templates: 0..300 by the share of equal bytes. */
export function templateScore(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  let same = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) same++;
  return n === 0 ? 0 : Math.floor((same * 300) / Math.max(a.length, b.length));
}

/** The sensor's own threshold for answering Match with 00 (security level 3). */
const SENSOR_MATCH_SCORE = 40;

export class FingerprintSimulator extends SimulatorEngine {
  readonly kind = 'fingerprint';
  private finger: { n: number; poor: boolean } | undefined;
  private image: { n: number; poor: boolean } | undefined;
  private readonly buffers: [Buffer | undefined, Buffer | undefined] = [undefined, undefined];
  private readonly library = new Map<number, Buffer>();
  private password = 0;
  private verified = false;
  readonly params: SysParams = {
    statusRegister: 0, systemId: 0, capacity: 1000, securityLevel: 3, address: FP_DEFAULT_ADDRESS, packetSize: 128, baudRate: 57600,
  };
  commands = 0;
  /** `lag <ms> [n]`: the next n acks are sent ms late. */
  private readonly lag = { ms: 0, count: 0 };

  constructor(options: { password?: number; packetSize?: 32 | 64 | 128 | 256 } = {}) {
    super();
    this.password = options.password ?? 0;
    if (options.packetSize) this.params.packetSize = options.packetSize;
  }

  place(n: number, poor = false): void {
    this.finger = { n, poor };
    this.activity(`finger ${n} placed${poor ? ' (poor quality)' : ''}`);
  }

  lift(): void {
    this.finger = undefined;
    this.activity('finger lifted');
  }

  openSession(reply: (bytes: Buffer) => void): SimulatorSession {
    const scanner = createFingerprintScanner();
    /** Set after a DownChar ack: the data packets that follow go into this buffer. */
    let download: { buffer: 0 | 1; parts: Buffer[] } | undefined;
    const ack = (code: number, data?: Uint8Array): void => {
      const bytes = encodeAck(code, data, this.params.address);
      if (this.lag.count <= 0) return reply(bytes);
      // A slow module (or a loaded host): this answer comes late, the next ones on time.
      this.lag.count--;
      setTimeout(() => reply(bytes), this.lag.ms).unref();
    };
    return {
      receive: (chunk) => {
        for (const e of scanner.push(chunk)) {
          if (e.type !== 'frame') {
            if (e.reason === 'bad-checksum') ack(Confirm.packetError);
            continue;
          }
          const p = decodePacket(e.frame);
          if (p.address !== this.params.address) continue;
          if (download && (p.pid === Pid.data || p.pid === Pid.end)) {
            download.parts.push(p.payload);
            if (p.pid === Pid.end) {
              this.buffers[download.buffer] = Buffer.concat(download.parts);
              this.activity(`template downloaded into buffer ${download.buffer + 1}`);
              download = undefined;
            }
            continue;
          }
          if (p.pid !== Pid.command || p.payload.length < 1) {
            ack(Confirm.packetError);
            continue;
          }
          this.commands++;
          const instr = p.payload[0]!;
          const params = p.payload.subarray(1);
          if (instr === Instr.downChar) {
            const b = params[0];
            if (b !== 1 && b !== 2) { ack(Confirm.packetError); continue; }
            download = { buffer: (b - 1) as 0 | 1, parts: [] };
            ack(Confirm.ok);
            continue;
          }
          if (instr === Instr.upChar) {
            const b = params[0];
            const tpl = b === 1 || b === 2 ? this.buffers[b - 1] : undefined;
            if (!tpl) { ack(Confirm.uploadFailed); continue; }
            ack(Confirm.ok);
            for (const pkt of encodeDataPackets(tpl, this.params.packetSize, this.params.address)) reply(pkt);
            continue;
          }
          const [code, data] = this.execute(instr, params);
          ack(code, data);
        }
      },
      end: () => scanner.reset(),
    };
  }

  /** One instruction → confirmation code (+ data). */
  private execute(instr: number, params: Buffer): [number, Uint8Array?] {
    const u16 = (n: number): Buffer => {
      const b = Buffer.alloc(2);
      b.writeUInt16BE(n);
      return b;
    };
    if (instr === Instr.vfyPwd) {
      if (params.length !== 4) return [Confirm.packetError];
      this.verified = params.readUInt32BE(0) === this.password;
      return [this.verified ? Confirm.ok : Confirm.wrongPassword];
    }
    if (!this.verified && this.password !== 0) return [Confirm.wrongPassword];
    switch (instr) {
      case Instr.readSysPara: return [Confirm.ok, encodeSysParams(this.params)];
      case Instr.templateNum: return [Confirm.ok, u16(this.library.size)];
      case Instr.genImg:
        if (!this.finger) return [Confirm.noFinger];
        this.image = { ...this.finger };
        return [Confirm.ok];
      case Instr.img2Tz: {
        const b = params[0];
        if (b !== 1 && b !== 2) return [Confirm.packetError];
        if (!this.image) return [Confirm.invalidImage];
        if (this.image.poor) return [Confirm.tooFewFeatures];
        this.buffers[b - 1] = fingerTemplate(this.image.n);
        return [Confirm.ok];
      }
      case Instr.match: {
        const [a, b] = this.buffers;
        if (!a || !b) return [Confirm.invalidImage];
        const score = templateScore(a, b);
        return [score >= SENSOR_MATCH_SCORE ? Confirm.ok : Confirm.noMatch, u16(score)];
      }
      case Instr.regModel: {
        const [a, b] = this.buffers;
        if (!a || !b || templateScore(a, b) < SENSOR_MATCH_SCORE) return [Confirm.enrolMismatch];
        this.buffers[1] = Buffer.from(a);
        return [Confirm.ok];
      }
      case Instr.store: {
        const b = params[0];
        const id = params.length >= 3 ? params.readUInt16BE(1) : -1;
        if ((b !== 1 && b !== 2) || id < 0 || id >= this.params.capacity) return [Confirm.badLocation];
        const tpl = this.buffers[b - 1];
        if (!tpl) return [Confirm.invalidImage];
        this.library.set(id, Buffer.from(tpl));
        return [Confirm.ok];
      }
      case Instr.loadChar: {
        const b = params[0];
        const id = params.length >= 3 ? params.readUInt16BE(1) : -1;
        const tpl = this.library.get(id);
        if ((b !== 1 && b !== 2) || !tpl) return [Confirm.dbReadError];
        this.buffers[b - 1] = Buffer.from(tpl);
        return [Confirm.ok];
      }
      case Instr.search: {
        const a = this.buffers[(params[0] ?? 1) - 1];
        if (!a) return [Confirm.invalidImage];
        for (const [id, tpl] of this.library) {
          const score = templateScore(a, tpl);
          if (score >= SENSOR_MATCH_SCORE) return [Confirm.ok, Buffer.concat([u16(id), u16(score)])];
        }
        return [Confirm.notFound];
      }
      case Instr.deleteChar: {
        if (params.length < 4) return [Confirm.packetError];
        const start = params.readUInt16BE(0);
        const count = params.readUInt16BE(2);
        for (let i = start; i < start + count; i++) this.library.delete(i);
        return [Confirm.ok];
      }
      case Instr.empty: this.library.clear(); return [Confirm.ok];
      default: return [Confirm.packetError];
    }
  }

  control(line: string): string {
    const [cmd, arg, extra] = words(line);
    switch (cmd) {
      case 'place': {
        const n = Number(arg ?? '1');
        if (!Number.isInteger(n) || n < 0 || n > 9999) return 'error usage: place <finger number> [poor]';
        this.place(n, extra === 'poor');
        return `ok finger ${n} placed${extra === 'poor' ? ' (poor quality)' : ''}`;
      }
      case 'lift': this.lift(); return 'ok finger lifted';
      case 'password': {
        const n = Number(arg);
        if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) return 'error usage: password <number>';
        this.password = n;
        this.verified = false;
        return `ok password set`;
      }
      case 'lag': {
        const ms = Number(arg);
        const n = Number(extra ?? '1');
        if (!Number.isInteger(ms) || ms < 0 || ms > 60_000 || !Number.isInteger(n) || n < 0 || n > 100) return 'error usage: lag <ms> [count]';
        Object.assign(this.lag, { ms, count: n });
        return `ok next ${n} answer(s) ${ms} ms late`;
      }
      case 'status': return `ok finger=${this.finger ? this.finger.n : 'none'} library=${this.library.size} commands=${this.commands}`;
      default: return `error unknown command '${line.trim()}' (try: help)`;
    }
  }

  help(): string[] {
    return ['place <n> [poor]   put finger n on the sensor (poor = too few features)', 'lift               take the finger away', 'password <n>       change the sensor password', 'lag <ms> [n]       send the next n answers ms late', 'status'];
  }
}

// ESC/POS printer simulator: answers DLE EOT status in real time and turns each job (ended by a
// cut, or by the connection closing) into a transcript. Paper and cover state are controlled:
//   paper out|in|low · cover open|close · offline|online · cutter jam|fix · status
// While it cannot print, received data is discarded (as a real printer's buffer would be useless),
// and the job is marked as lost.
import { EscPosDecoder, encodeStatusByte, renderTranscript, HEALTHY_STATUS, type EscPosOp, type PrinterStatus } from '../codecs/escpos/index.ts';
import { SimulatorEngine, words, type SimulatorSession } from './engine.ts';

export interface PrintedJob {
  index: number;
  ops: EscPosOp[];
  transcript: string;
  /** Ops the printer could not print (paper out, cover open…). */
  lostOps: number;
  cut: boolean;
}

export class PrinterSimulator extends SimulatorEngine {
  readonly kind = 'printer';
  readonly state = { paperOut: false, paperLow: false, coverOpen: false, offline: false, cutterJam: false };
  readonly jobs: PrintedJob[] = [];
  /** After how many printable ops the paper runs out during a job (control: 'paper runout <n>'). */
  private runoutAfter: number | undefined;

  status(): PrinterStatus {
    const s = this.state;
    const cannotPrint = s.paperOut || s.coverOpen || s.offline || s.cutterJam;
    return {
      ...HEALTHY_STATUS,
      offline: cannotPrint,
      coverOpen: s.coverOpen,
      paperEndStop: s.paperOut,
      errorOccurred: s.coverOpen || s.cutterJam,
      cutterError: s.cutterJam,
      paperNearEnd: s.paperLow || s.paperOut,
      paperOut: s.paperOut,
    };
  }

  private canPrint(): boolean {
    const s = this.state;
    return !(s.paperOut || s.coverOpen || s.offline || s.cutterJam);
  }

  openSession(reply: (bytes: Buffer) => void): SimulatorSession {
    const decoder = new EscPosDecoder();
    let ops: EscPosOp[] = [];
    let lost = 0;
    const finish = (cut: boolean): void => {
      const printed = ops.filter((o) => o.op !== 'status');
      if (printed.length === 0 && lost === 0) return;
      const job: PrintedJob = { index: this.jobs.length + 1, ops: printed, transcript: renderTranscript(printed), lostOps: lost, cut };
      this.jobs.push(job);
      this.emit('job', job);
      this.activity(`job ${job.index} printed${lost ? ` (${lost} elements lost: printer could not print)` : ''}`);
      ops = [];
      lost = 0;
    };
    const take = (list: EscPosOp[]): void => {
      for (const op of list) {
        if (op.op === 'status') {
          reply(Buffer.from([encodeStatusByte(op.n, this.status())]));
          continue;
        }
        if (op.op === 'init' || op.op === 'chinese' || op.op === 'align' || op.op === 'bold' || op.op === 'size') {
          ops.push(op);
          continue;
        }
        if (!this.canPrint()) {
          lost++;
          continue;
        }
        if (this.runoutAfter !== undefined && --this.runoutAfter < 0) {
          this.runoutAfter = undefined;
          this.state.paperOut = true;
          this.activity('paper ran out during the job');
          lost++;
          continue;
        }
        ops.push(op);
        if (op.op === 'cut') finish(true);
      }
    };
    return {
      receive: (chunk) => take(decoder.push(chunk)),
      end: () => {
        take(decoder.end());
        finish(false);
      },
    };
  }

  control(line: string): string {
    const [a, b, c] = words(line);
    const s = this.state;
    const key = `${a ?? ''} ${b ?? ''}`.trim();
    switch (key) {
      case 'paper out': s.paperOut = true; break;
      case 'paper in': s.paperOut = false; s.paperLow = false; break;
      case 'paper low': s.paperLow = true; break;
      case 'paper runout': {
        const n = Number(c);
        if (!Number.isInteger(n) || n < 0) return 'error usage: paper runout <printed elements before the paper ends>';
        this.runoutAfter = n;
        break;
      }
      case 'cover open': s.coverOpen = true; break;
      case 'cover close': case 'cover closed': s.coverOpen = false; break;
      case 'offline': s.offline = true; break;
      case 'online': s.offline = false; break;
      case 'cutter jam': s.cutterJam = true; break;
      case 'cutter fix': s.cutterJam = false; break;
      case 'status': break;
      default: return `error unknown command '${line.trim()}' (try: help)`;
    }
    if (key !== 'status') this.activity(`state: ${key}`);
    return `ok paper=${s.paperOut ? 'out' : s.paperLow ? 'low' : 'ok'} cover=${s.coverOpen ? 'open' : 'closed'} ${s.offline ? 'offline' : 'online'} cutter=${s.cutterJam ? 'jammed' : 'ok'} jobs=${this.jobs.length}`;
  }

  help(): string[] {
    return ['paper out|in|low       paper state', 'paper runout <n>       paper ends after n more printed elements', 'cover open|close', 'offline|online', 'cutter jam|fix', 'status'];
  }
}

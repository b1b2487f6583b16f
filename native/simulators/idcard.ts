// SAM card-reader simulator: answers find/select/read/status byte-exactly, with a card that can be
// inserted and removed by control commands, and faults that can be injected for tests.
//   insert <profile> · remove · sam fail|ok · corrupt next · noise next · status · profiles
import { SamCommand, SW3, createSamScanner, decodeSamCommand, encodeIdText, encodeReadData, encodeSamReply } from '../codecs/idcard/index.ts';
import { CARD_PROFILES, deterministicBytes, findProfile, type CardProfile } from './profiles.ts';
import { SimulatorEngine, words, type SimulatorSession } from './engine.ts';

export class IdCardSimulator extends SimulatorEngine {
  readonly kind = 'idcard';
  private card: CardProfile | undefined;
  private selected = false;
  /** A card that has been read answers "find" with failure until it is re-inserted. */
  private activated = false;
  private samFault = false;
  private corruptNext = false;
  private noiseNext = false;
  /** Commands handled (for tests and the console). */
  commands = 0;

  constructor(initialProfile?: string) {
    super();
    if (initialProfile) this.insert(initialProfile);
  }

  get inserted(): string | undefined {
    return this.card?.id;
  }

  insert(profileId: string): void {
    const p = findProfile(profileId);
    if (!p) throw new Error(`unknown profile '${profileId}' (known: ${CARD_PROFILES.map((c) => c.id).join(', ')})`);
    this.card = p;
    this.selected = false;
    this.activated = false;
    this.activity(`card '${p.id}' inserted`);
  }

  remove(): void {
    this.card = undefined;
    this.selected = false;
    this.activated = false;
    this.activity('card removed');
  }

  /** The reply to one host frame (exposed for unit tests and the bench). */
  handle(frame: Buffer): Buffer {
    this.commands++;
    const { cmd, para } = decodeSamCommand(frame);
    const is = (c: readonly [number, number]): boolean => cmd === c[0] && para === c[1];
    if (this.samFault && cmd !== SamCommand.resetSam[0]) return encodeSamReply(0x60);
    if (is(SamCommand.samStatus) || cmd === SamCommand.resetSam[0]) return encodeSamReply(SW3.ok);
    if (cmd === 0x60 && para <= 4) return encodeSamReply(SW3.ok);
    if (is(SamCommand.findCard)) {
      return this.card && !this.activated ? encodeSamReply(SW3.cardFound, Buffer.alloc(4)) : encodeSamReply(SW3.findFailed);
    }
    if (is(SamCommand.selectCard)) {
      if (!this.card) return encodeSamReply(SW3.selectFailed);
      this.selected = true;
      return encodeSamReply(SW3.ok, Buffer.alloc(8));
    }
    if (is(SamCommand.readText) || is(SamCommand.readTextWithFingerprint)) {
      if (!this.card || !this.selected) return encodeSamReply(SW3.readFailed);
      const p = this.card;
      this.activated = true;
      const text = encodeIdText(p);
      const photo = deterministicBytes(`photo:${p.id}`, 1024);
      const withFp = is(SamCommand.readTextWithFingerprint);
      this.activity(`card '${p.id}' read${withFp ? ' with fingerprint data' : ''}`);
      return encodeSamReply(SW3.ok, encodeReadData({ text, photo, fingerprint: withFp ? deterministicBytes(`card-fp:${p.id}`, p.fingerprintBytes) : undefined }));
    }
    return encodeSamReply(0x21);
  }

  openSession(reply: (bytes: Buffer) => void): SimulatorSession {
    const scanner = createSamScanner();
    const send = (bytes: Buffer): void => {
      let out = bytes;
      if (this.corruptNext) {
        this.corruptNext = false;
        out = Buffer.from(bytes);
        out[out.length - 1] = out[out.length - 1]! ^ 0xff;
      }
      if (this.noiseNext) {
        this.noiseNext = false;
        out = Buffer.concat([Buffer.from([0x00, 0xaa, 0x13, 0xaa, 0xaa, 0x37]), out]);
      }
      reply(out);
    };
    return {
      receive: (chunk) => {
        for (const e of scanner.push(chunk)) {
          if (e.type === 'frame') send(this.handle(e.frame));
          else if (e.reason === 'bad-checksum') send(encodeSamReply(0x10));
        }
      },
      end: () => scanner.reset(),
    };
  }

  control(line: string): string {
    const [cmd, arg] = words(line);
    try {
      switch (cmd) {
        case 'insert': this.insert(arg ?? 'zhang'); return `ok card '${arg ?? 'zhang'}' inserted`;
        case 'remove': this.remove(); return 'ok card removed';
        case 'sam':
          if (arg !== 'fail' && arg !== 'ok') return 'error usage: sam fail|ok';
          this.samFault = arg === 'fail';
          return `ok sam ${arg}`;
        case 'corrupt': this.corruptNext = true; return 'ok next reply will have a bad checksum';
        case 'noise': this.noiseNext = true; return 'ok next reply will follow line noise';
        case 'status': return `ok card=${this.card?.id ?? 'none'} selected=${this.selected} activated=${this.activated} sam=${this.samFault ? 'fail' : 'ok'} commands=${this.commands}`;
        case 'profiles': return 'ok ' + CARD_PROFILES.map((p) => `${p.id} (${p.summary})`).join('; ');
        default: return `error unknown command '${line.trim()}' (try: help)`;
      }
    } catch (err) {
      return `error ${(err as Error).message}`;
    }
  }

  help(): string[] {
    return [
      'insert <profile>   put a card on the reader (profiles: ' + CARD_PROFILES.map((p) => p.id).join(', ') + ')',
      'remove             take the card away',
      'sam fail|ok        make the SAM module fail its self-test, or recover',
      'corrupt            damage the checksum of the next reply',
      'noise              send line noise before the next reply',
      'status | profiles',
    ];
  }
}

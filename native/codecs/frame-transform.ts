// node-serialport style parser: a Transform that turns a byte stream into whole frames (object
// mode). Skipped bytes are reported with a 'skipped' event, never as a stream error, so one burst of
// line noise does not end the stream.
import { Transform, type TransformCallback } from 'node:stream';
import { FrameScanner, type FrameSpec, type SkipReason } from './frame-scanner.ts';

export class FrameParser extends Transform {
  private readonly scanner: FrameScanner;

  constructor(spec: FrameSpec) {
    super({ readableObjectMode: true });
    this.scanner = new FrameScanner(spec);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    for (const e of this.scanner.push(chunk)) {
      if (e.type === 'frame') this.push(e.frame);
      else this.emit('skipped', e.reason satisfies SkipReason, e.bytes);
    }
    cb();
  }

  override _flush(cb: TransformCallback): void {
    const dropped = this.scanner.reset();
    if (dropped > 0) this.emit('skipped', 'truncated', dropped);
    cb();
  }
}

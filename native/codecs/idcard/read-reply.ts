// Data part of the read reply (CMD 30 01 / 30 10): lengths, then text, photo and fingerprint blocks.
//   30 01: textLen(2) photoLen(2) · text · photo
//   30 10: textLen(2) photoLen(2) fpLen(2) · text · photo · fingerprint
import { DecodeError } from '../../errors.ts';
import { ID_TEXT_BYTES } from './text.ts';

export interface IdCardBlocks {
  text: Buffer;
  /** WLT-compressed photo; the kiosk never decodes it. */
  photo: Buffer;
  /** Fingerprint feature data stored on the card (0, 512 or 1024 bytes), when requested. */
  fingerprint?: Buffer;
}

export function decodeReadData(data: Uint8Array): IdCardBlocks {
  const d = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (d.length < 4) throw new DecodeError('read-short', 'card read reply is too short for its length fields', 'idcard');
  const textLen = d.readUInt16BE(0);
  const photoLen = d.readUInt16BE(2);
  if (textLen !== ID_TEXT_BYTES) throw new DecodeError('read-text-length', `card text length is ${textLen}, expected ${ID_TEXT_BYTES}`, 'idcard');
  if (d.length === 4 + textLen + photoLen) {
    return { text: Buffer.from(d.subarray(4, 4 + textLen)), photo: Buffer.from(d.subarray(4 + textLen)) };
  }
  if (d.length >= 6) {
    const fpLen = d.readUInt16BE(4);
    if (d.length === 6 + textLen + photoLen + fpLen) {
      const t = 6;
      return {
        text: Buffer.from(d.subarray(t, t + textLen)),
        photo: Buffer.from(d.subarray(t + textLen, t + textLen + photoLen)),
        fingerprint: Buffer.from(d.subarray(t + textLen + photoLen)),
      };
    }
  }
  throw new DecodeError('read-length', `card read reply of ${d.length} bytes does not match its length fields`, 'idcard');
}

export function encodeReadData(blocks: IdCardBlocks): Buffer {
  const fp = blocks.fingerprint;
  const head = Buffer.alloc(fp ? 6 : 4);
  head.writeUInt16BE(blocks.text.length, 0);
  head.writeUInt16BE(blocks.photo.length, 2);
  if (fp) head.writeUInt16BE(fp.length, 4);
  return Buffer.concat(fp ? [head, blocks.text, blocks.photo, fp] : [head, blocks.text, blocks.photo]);
}

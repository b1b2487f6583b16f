import { FrameScanner, type FrameSpec } from '../frame-scanner.ts';
import { FrameParser } from '../frame-transform.ts';
import { SAM_HEADER_BYTES, SAM_MAX_LEN, SAM_MIN_LEN, SAM_PREAMBLE, samChecksum } from './frame.ts';

export const SAM_FRAME_SPEC: FrameSpec = {
  preamble: SAM_PREAMBLE,
  headerBytes: SAM_HEADER_BYTES,
  frameLength(buf, at) {
    const len = buf.readUInt16BE(at + 5);
    return len < SAM_MIN_LEN || len > SAM_MAX_LEN ? 'bad-length' : SAM_HEADER_BYTES + len;
  },
  verify(buf, at, length) {
    return samChecksum(buf, at + 5, at + length - 1) === buf[at + length - 1] ? true : 'bad-checksum';
  },
};

export const createSamScanner = (): FrameScanner => new FrameScanner(SAM_FRAME_SPEC);
export const createSamParser = (): FrameParser => new FrameParser(SAM_FRAME_SPEC);

// Fictional people for the card simulator (demos, training, tests). Every ID number is built from
// its first 17 digits with the real check character, except the 'bad-check' profile which exists to
// exercise the check. Photos are deterministic filler bytes (the kiosk never decodes WLT).
import { createHash } from 'node:crypto';
import { idCheckCharacter, type IdCardTextInput } from '../codecs/idcard/text.ts';

export interface CardProfile extends IdCardTextInput {
  id: string;
  summary: string;
  /** Fingerprint data on the card: bytes (0, 512 or 1024). */
  fingerprintBytes: 0 | 512 | 1024;
}

const withCheck = (first17: string): string => first17 + idCheckCharacter(first17)!;

export const CARD_PROFILES: readonly CardProfile[] = [
  {
    id: 'zhang', summary: 'male, 汉, Beijing, valid to 2035', fingerprintBytes: 1024,
    name: '张小三', genderCode: '1', ethnicityCode: '01', birthDate: '19900307', address: '北京市东城区示例胡同1号',
    idNumber: withCheck('11010119900307123'), authority: '北京市公安局东城分局', validFrom: '20150101', validTo: '20350101',
  },
  {
    id: 'li', summary: 'female, 回, Shanghai, long-term validity (长期)', fingerprintBytes: 512,
    name: '李四', genderCode: '2', ethnicityCode: '03', birthDate: '19850612', address: '上海市徐汇区演示路88弄6号',
    idNumber: withCheck('31010419850612456'), authority: '上海市公安局徐汇分局', validFrom: '20100520', validTo: '长期',
  },
  {
    id: 'ouyang', summary: 'female, 壮, Shenzhen, check character X, four-character name', fingerprintBytes: 0,
    name: '欧阳明月', genderCode: '2', ethnicityCode: '08', birthDate: '19721130', address: '广东省深圳市福田区样例大道100号',
    idNumber: withCheck('44030519721130789'), authority: '深圳市公安局福田分局', validFrom: '20180301', validTo: '20380301',
  },
  {
    id: 'bad-check', summary: 'ID number with a WRONG check digit (for testing the check)', fingerprintBytes: 0,
    name: '王测试', genderCode: '1', ethnicityCode: '01', birthDate: '20000101', address: '四川省成都市锦江区测试街2号',
    idNumber: '510104200001010000', authority: '成都市公安局锦江区分局', validFrom: '20200101', validTo: '20300101',
  },
];

export function findProfile(id: string): CardProfile | undefined {
  return CARD_PROFILES.find((p) => p.id === id);
}

/** Deterministic filler of `length` bytes derived from a seed string. */
export function deterministicBytes(seed: string, length: number): Buffer {
  const out = Buffer.alloc(length);
  let block = createHash('sha256').update(seed).digest();
  for (let off = 0; off < length; off += block.length) {
    block.copy(out, off, 0, Math.min(block.length, length - off));
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

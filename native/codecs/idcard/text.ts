// The 256-byte text block of a resident ID card (GA 490-2013): UCS-2 little-endian, fixed fields
// padded with spaces. Plus the ISO 7064 MOD 11-2 check digit of the 18-character ID number.
import { DecodeError } from '../../errors.ts';

export const ID_TEXT_BYTES = 256;

const FIELDS = {
  name: [0, 30],
  gender: [30, 2],
  ethnicity: [32, 4],
  birthDate: [36, 16],
  address: [52, 70],
  idNumber: [122, 36],
  authority: [158, 30],
  validFrom: [188, 16],
  validTo: [204, 16],
  reserved: [220, 36],
} as const satisfies Record<string, readonly [number, number]>;

export type Gender = 'unknown' | 'male' | 'female' | 'unstated';
const GENDERS: Record<string, Gender> = { '0': 'unknown', '1': 'male', '2': 'female', '9': 'unstated' };

/** GB 3304 ethnicity codes as printed on the card (族 omitted, as on the card). */
export const ETHNICITIES: readonly string[] = [
  '汉', '蒙古', '回', '藏', '维吾尔', '苗', '彝', '壮', '布依', '朝鲜', '满', '侗', '瑶', '白', '土家', '哈尼', '哈萨克', '傣',
  '黎', '傈僳', '佤', '畲', '高山', '拉祜', '水', '东乡', '纳西', '景颇', '柯尔克孜', '土', '达斡尔', '仫佬', '羌', '布朗', '撒拉',
  '毛南', '仡佬', '锡伯', '阿昌', '普米', '塔吉克', '怒', '乌孜别克', '俄罗斯', '鄂温克', '德昂', '保安', '裕固', '京', '塔塔尔',
  '独龙', '鄂伦春', '赫哲', '门巴', '珞巴', '基诺',
];

export function ethnicityName(code: string): string | undefined {
  if (code === '97') return '其他';
  if (code === '98') return '外国血统中国籍人士';
  if (!/^\d\d$/.test(code)) return undefined;
  return ETHNICITIES[Number(code) - 1];
}

/** Personal data. Never log it; show it only through maskName / maskIdNumber. */
export interface IdCardText {
  name: string;
  genderCode: string;
  gender: Gender;
  ethnicityCode: string;
  /** undefined when the code is not in GB 3304 (97/98 included). */
  ethnicity: string | undefined;
  /** YYYYMMDD as on the card. */
  birthDate: string;
  address: string;
  idNumber: string;
  authority: string;
  validFrom: string;
  /** YYYYMMDD, or '长期' (no expiry). */
  validTo: string;
  /** The ID number has 17 digits + check character and the check character is right. */
  checkDigitOk: boolean;
}

const CHECK_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** Check character for the first 17 digits of an ID number, or undefined if they are not 17 digits. */
export function idCheckCharacter(first17: string): string | undefined {
  if (!/^\d{17}$/.test(first17)) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * CHECK_WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11];
}

export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  return idCheckCharacter(id.slice(0, 17)) === id[17];
}

function field(block: Buffer, [offset, length]: readonly [number, number]): string {
  // Padding is spaces by the standard; some readers pad with NULs. Trim both, keep inner spaces.
  // eslint-disable-next-line no-control-regex -- NUL padding is exactly what is trimmed here
  return block.toString('utf16le', offset, offset + length).replace(/[\s\u0000]+$/u, '').replace(/^[\s\u0000]+/u, '');
}

export function decodeIdText(block: Uint8Array): IdCardText {
  if (block.length !== ID_TEXT_BYTES) {
    throw new DecodeError('idtext-length', `ID card text block must be ${ID_TEXT_BYTES} bytes, got ${block.length}`, 'idcard');
  }
  const b = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  const genderCode = field(b, FIELDS.gender);
  const ethnicityCode = field(b, FIELDS.ethnicity);
  const idNumber = field(b, FIELDS.idNumber).toUpperCase();
  return {
    name: field(b, FIELDS.name),
    genderCode,
    gender: GENDERS[genderCode] ?? 'unknown',
    ethnicityCode,
    ethnicity: ethnicityName(ethnicityCode),
    birthDate: field(b, FIELDS.birthDate),
    address: field(b, FIELDS.address),
    idNumber,
    authority: field(b, FIELDS.authority),
    validFrom: field(b, FIELDS.validFrom),
    validTo: field(b, FIELDS.validTo),
    checkDigitOk: isValidIdNumber(idNumber),
  };
}

export type IdCardTextInput = Pick<IdCardText, 'name' | 'genderCode' | 'ethnicityCode' | 'birthDate' | 'address' | 'idNumber' | 'authority' | 'validFrom' | 'validTo'>;

/** Builds a text block (for the simulator and tests). Throws RangeError when a field does not fit. */
export function encodeIdText(input: IdCardTextInput): Buffer {
  const block = Buffer.alloc(ID_TEXT_BYTES);
  for (let i = 0; i < ID_TEXT_BYTES; i += 2) block.writeUInt16LE(0x20, i);
  const values: Record<Exclude<keyof typeof FIELDS, 'reserved'>, string> = {
    name: input.name, gender: input.genderCode, ethnicity: input.ethnicityCode, birthDate: input.birthDate, address: input.address,
    idNumber: input.idNumber, authority: input.authority, validFrom: input.validFrom, validTo: input.validTo,
  };
  for (const [key, value] of Object.entries(values) as [keyof typeof values, string][]) {
    const [offset, length] = FIELDS[key];
    for (const ch of value) {
      if (ch.codePointAt(0)! > 0xffff) throw new RangeError(`${key} has a character outside UCS-2`);
    }
    const bytes = Buffer.from(value, 'utf16le');
    if (bytes.length > length) throw new RangeError(`${key} is longer than ${length / 2} characters`);
    bytes.copy(block, offset);
  }
  return block;
}

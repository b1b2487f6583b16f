// Reproducible synthetic KBs for the scale benchmarks: bilingual (≈70 % zh-CN, 30 % en) lobby /
// banking / telecom help articles built from a vocabulary and templates, with tags, alternative
// questions, Markdown bodies; plus a matching query set and suggest prefixes.
//
// Everything is driven by a seeded PRNG (mulberry32), never Math.random, so the same seed gives the
// same KB byte for byte. Articles come from one stream: the first 1 000 articles of a 10 000 KB are
// the 1 000 KB. Titles are unique within a KB (a clash is redrawn, then numbered).
import { pinyin } from 'pinyin-pro';
import type { ArticleRecord } from '../../contracts/kb-bundle.ts';

export const DEFAULT_SEED = 20240611;

/** A deterministic PRNG: mulberry32 over a 32-bit state. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary. Objects are grouped into categories; actions are what one does with them.

interface ZhObject {
  word: string;
  cat: string;
  actions: readonly string[];
}

const ZH_CARD_ACTIONS = ['办理', '挂失', '补办', '注销', '激活', '查询余额', '修改密码', '升级', '换卡', '解冻', '绑定', '解绑'];
const ZH_ACCOUNT_ACTIONS = ['开通', '注销', '查询', '修改', '找回', '重置', '绑定', '解绑', '冻结', '解冻', '实名认证', '变更'];
const ZH_BILL_ACTIONS = ['缴纳', '查询', '打印', '开具', '补打', '退还', '充值', '核对', '申请', '取消'];
const ZH_SERVICE_ACTIONS = ['开通', '取消', '退订', '变更', '办理', '查询', '续费', '暂停', '恢复', '升级', '预约'];
const ZH_ORDER_ACTIONS = ['查询', '取消', '修改', '申请退款', '申请退货', '催办', '改地址', '延期', '确认收货', '投诉'];
const ZH_PASSWORD_ACTIONS = ['修改', '找回', '重置', '解锁', '设置', '更换'];

const ZH_OBJECTS: readonly ZhObject[] = [
  { word: '银行卡', cat: 'cards', actions: ZH_CARD_ACTIONS },
  { word: '信用卡', cat: 'cards', actions: [...ZH_CARD_ACTIONS, '分期', '提额', '还款'] },
  { word: '储蓄卡', cat: 'cards', actions: ZH_CARD_ACTIONS },
  { word: '社保卡', cat: 'cards', actions: ZH_CARD_ACTIONS },
  { word: '医保卡', cat: 'cards', actions: ZH_CARD_ACTIONS },
  { word: 'SIM卡', cat: 'cards', actions: ['补办', '激活', '注销', '换卡', '解锁', '办理'] },
  { word: '登录密码', cat: 'password', actions: ZH_PASSWORD_ACTIONS },
  { word: '支付密码', cat: 'password', actions: ZH_PASSWORD_ACTIONS },
  { word: '交易密码', cat: 'password', actions: ZH_PASSWORD_ACTIONS },
  { word: '服务密码', cat: 'password', actions: ZH_PASSWORD_ACTIONS },
  { word: '手机银行', cat: 'account', actions: ZH_ACCOUNT_ACTIONS },
  { word: '网上银行', cat: 'account', actions: ZH_ACCOUNT_ACTIONS },
  { word: '电子账户', cat: 'account', actions: ZH_ACCOUNT_ACTIONS },
  { word: '手机号', cat: 'account', actions: [...ZH_ACCOUNT_ACTIONS, '过户', '携号转网'] },
  { word: '实名信息', cat: 'identity', actions: ['变更', '查询', '补登', '核验', '更新'] },
  { word: '身份证', cat: 'identity', actions: ['核验', '读取', '登记', '更新', '挂失'] },
  { word: '人脸识别', cat: 'identity', actions: ['开通', '验证', '关闭', '重新录入'] },
  { word: '指纹', cat: 'identity', actions: ['录入', '验证', '删除', '重新录入'] },
  { word: '宽带', cat: 'telecom', actions: [...ZH_SERVICE_ACTIONS, '报修', '移机', '提速'] },
  { word: '流量套餐', cat: 'telecom', actions: ZH_SERVICE_ACTIONS },
  { word: '5G套餐', cat: 'telecom', actions: ZH_SERVICE_ACTIONS },
  { word: '国际漫游', cat: 'telecom', actions: ZH_SERVICE_ACTIONS },
  { word: '亲情号', cat: 'telecom', actions: ZH_SERVICE_ACTIONS },
  { word: '来电显示', cat: 'telecom', actions: ZH_SERVICE_ACTIONS },
  { word: '话费', cat: 'payments', actions: ZH_BILL_ACTIONS },
  { word: '水电费', cat: 'payments', actions: ZH_BILL_ACTIONS },
  { word: '燃气费', cat: 'payments', actions: ZH_BILL_ACTIONS },
  { word: '物业费', cat: 'payments', actions: ZH_BILL_ACTIONS },
  { word: '发票', cat: 'invoices', actions: ['开具', '补打', '作废', '查询', '邮寄', '抬头修改', '换开'] },
  { word: '电子发票', cat: 'invoices', actions: ['开具', '下载', '查询', '作废', '重发', '换开'] },
  { word: '订单', cat: 'orders', actions: ZH_ORDER_ACTIONS },
  { word: '快递', cat: 'orders', actions: ['查询', '改地址', '催件', '拒收', '预约配送', '投诉'] },
  { word: '退款', cat: 'refunds', actions: ['申请', '查询进度', '取消', '催办', '加急'] },
  { word: '退货', cat: 'refunds', actions: ['申请', '寄回', '查询进度', '取消', '预约上门取件'] },
  { word: '定期存款', cat: 'deposits', actions: ['办理', '提前支取', '续存', '查询', '转存'] },
  { word: '大额存单', cat: 'deposits', actions: ['购买', '转让', '提前支取', '查询'] },
  { word: '理财产品', cat: 'deposits', actions: ['购买', '赎回', '查询收益', '风险测评'] },
  { word: '个人贷款', cat: 'loans', actions: ['申请', '还款', '提前还款', '查询进度', '延期'] },
  { word: '房贷', cat: 'loans', actions: ['申请', '提前还款', '查询', '变更还款账户', '利率调整'] },
  { word: '公积金', cat: 'loans', actions: ['查询', '提取', '转移', '缴存', '贷款申请'] },
  { word: '存款证明', cat: 'documents', actions: ['开具', '查询', '作废', '打印'] },
  { word: '银行流水', cat: 'documents', actions: ['打印', '查询', '导出', '盖章'] },
  { word: '外币兑换', cat: 'documents', actions: ['办理', '预约', '查询汇率'] },
  { word: '排队号', cat: 'kiosk', actions: ['领取', '查询', '取消', '重打'] },
  { word: '预约号', cat: 'kiosk', actions: ['领取', '查询', '取消', '改期'] },
  { word: '回执单', cat: 'kiosk', actions: ['打印', '补打', '扫码查看'] },
];

const ZH_TITLE_TEMPLATES: readonly ((a: string, o: string) => string)[] = [
  (a, o) => `如何${a}${o}`,
  (a, o) => `怎么${a}${o}`,
  (a, o) => `${o}${a}需要带哪些材料`,
  (a, o) => `${o}${a}失败怎么办`,
  (a, o) => `为什么${o}无法${a}`,
  (a, o) => `${o}${a}后多久生效`,
  (a, o) => `在自助机上${a}${o}的步骤`,
  (a, o) => `${a}${o}收费吗`,
  (a, o) => `${o}${a}的办理时间和限额`,
  (a, o) => `代办${o}${a}需要什么手续`,
  (a, o) => `${o}可以在网上${a}吗`,
  (a, o) => `${a}${o}时提示错误怎么处理`,
  (a, o) => `${o}${a}进度在哪里查`,
  (a, o) => `${a}${o}需要本人到场吗`,
  (a, o) => `${o}${a}遇到问题找谁`,
];


const ZH_AUDIENCES = ['个人客户', '企业客户', '外籍人士', '老年客户', '学生', '港澳台居民', '残障人士', '新用户'];
const ZH_VIA = ['手机银行', '自助终端', '柜台', '网上营业厅', '微信公众号', '客服热线', '官方App'];

/** '', '（老年客户）', '（柜台）' or '（老年客户·柜台）'. */
function zhQualifier(rng: Rng): string {
  const r = rng.next();
  if (r < 0.2) return '';
  if (r < 0.5) return `（${rng.pick(ZH_AUDIENCES)}）`;
  if (r < 0.75) return `（${rng.pick(ZH_VIA)}）`;
  return `（${rng.pick(ZH_AUDIENCES)}·${rng.pick(ZH_VIA)}）`;
}

const ZH_CHANNELS = ['自助终端', '手机银行', '网上营业厅', '人工柜台', '微信公众号', '客服热线', '官方App'];
const ZH_VERIFY = ['刷身份证', '输入短信验证码', '验证指纹', '进行人脸识别', '输入服务密码', '扫描二维码'];
const ZH_TIMES = ['即时', '1个工作日内', '3个工作日内', '7个工作日内', '当天'];
const ZH_DOCS = ['本人有效身份证件', '户口簿', '银行卡', '原发票', '授权委托书', '代办人身份证', '单位证明'];
const ZH_TIPS = [
  '请妥善保管您的密码，工作人员不会向您索要验证码。',
  '如遇系统维护，请稍后再试或前往人工柜台办理。',
  '业务办理完成后请记得取走您的证件和回执单。',
  '自助终端营业时间为每日8:00至20:00，节假日照常服务。',
  '如对办理结果有疑问，可拨打客服热线咨询。',
  '老年客户可按屏幕右上角的"大字模式"放大显示。',
  '办理过程中如超过两分钟无操作，页面将自动退出并清除信息。',
];
const ZH_Q_TEMPLATES: readonly ((a: string, o: string) => string)[] = [
  (a, o) => `${o}怎么${a}`,
  (a, o) => `${a}${o}去哪里办`,
  (a, o) => `我想${a}${o}`,
  (a, o) => `${o}能不能${a}`,
  (a, o) => `${a}${o}要多长时间`,
  (a, o) => `请问${o}如何${a}`,
];

interface EnObject {
  word: string;
  cat: string;
  actions: readonly string[];
}

const EN_CARD = ['apply for', 'report lost', 'replace', 'close', 'activate', 'unblock', 'change the PIN of', 'link', 'unlink', 'upgrade'];
const EN_ACCOUNT = ['open', 'close', 'check', 'update', 'recover', 'reset', 'link', 'unlink', 'freeze', 'verify'];
const EN_SERVICE = ['subscribe to', 'cancel', 'change', 'renew', 'pause', 'resume', 'upgrade', 'check'];
const EN_BILL = ['pay', 'check', 'print', 'dispute', 'top up', 'split'];
const EN_ORDER = ['track', 'cancel', 'change', 'return', 'request a refund for', 'reschedule'];

const EN_OBJECTS: readonly EnObject[] = [
  { word: 'bank card', cat: 'cards', actions: EN_CARD },
  { word: 'credit card', cat: 'cards', actions: [...EN_CARD, 'raise the limit of'] },
  { word: 'debit card', cat: 'cards', actions: EN_CARD },
  { word: 'SIM card', cat: 'cards', actions: ['replace', 'activate', 'unblock', 'cancel'] },
  { word: 'login password', cat: 'password', actions: ['change', 'reset', 'recover', 'unlock'] },
  { word: 'payment PIN', cat: 'password', actions: ['change', 'reset', 'set', 'unlock'] },
  { word: 'mobile banking', cat: 'account', actions: EN_ACCOUNT },
  { word: 'online banking', cat: 'account', actions: EN_ACCOUNT },
  { word: 'phone number', cat: 'account', actions: [...EN_ACCOUNT, 'port', 'transfer'] },
  { word: 'ID card', cat: 'identity', actions: ['verify', 'scan', 'register', 'update'] },
  { word: 'fingerprint', cat: 'identity', actions: ['enrol', 'verify', 'delete', 're-enrol'] },
  { word: 'broadband', cat: 'telecom', actions: [...EN_SERVICE, 'repair', 'move'] },
  { word: 'data plan', cat: 'telecom', actions: EN_SERVICE },
  { word: '5G plan', cat: 'telecom', actions: EN_SERVICE },
  { word: 'international roaming', cat: 'telecom', actions: EN_SERVICE },
  { word: 'phone bill', cat: 'payments', actions: EN_BILL },
  { word: 'utility bill', cat: 'payments', actions: EN_BILL },
  { word: 'invoice', cat: 'invoices', actions: ['issue', 'reprint', 'void', 'download', 'correct'] },
  { word: 'order', cat: 'orders', actions: EN_ORDER },
  { word: 'delivery', cat: 'orders', actions: ['track', 'reschedule', 'redirect', 'refuse'] },
  { word: 'refund', cat: 'refunds', actions: ['request', 'track', 'cancel', 'speed up'] },
  { word: 'fixed deposit', cat: 'deposits', actions: ['open', 'withdraw early from', 'renew', 'check'] },
  { word: 'personal loan', cat: 'loans', actions: ['apply for', 'repay', 'repay early', 'extend'] },
  { word: 'account statement', cat: 'documents', actions: ['print', 'download', 'stamp', 'request'] },
  { word: 'queue ticket', cat: 'kiosk', actions: ['take', 'check', 'cancel', 'reprint'] },
  { word: 'appointment', cat: 'kiosk', actions: ['book', 'check', 'cancel', 'reschedule'] },
];

const EN_TITLE_TEMPLATES: readonly ((a: string, o: string) => string)[] = [
  (a, o) => `How do I ${a} my ${o}?`,
  (a, o) => `How to ${a} ${an(o)} at the kiosk`,
  (a, o) => `Why can't I ${a} my ${o}?`,
  (a, o) => `What documents do I need to ${a} ${an(o)}?`,
  (a, o) => `How long does it take to ${a} my ${o}?`,
  (a, o) => `Is there a fee to ${a} my ${o}?`,
  (a, o) => `Can someone else ${a} my ${o} for me?`,
  (a, o) => `Error when I try to ${a} my ${o}`,
  (a, o) => `Where can I ${a} my ${o}?`,
  (a, o) => `I forgot how to ${a} my ${o}`,
  (a, o) => `Steps to ${a} ${an(o)} without a counter visit`,
  (a, o) => `When will my request to ${a} my ${o} be processed?`,
];
const EN_AUDIENCES = ['business customers', 'foreign nationals', 'seniors', 'students', 'new customers', 'joint accounts'];
const EN_VIA = ['mobile app', 'self-service kiosk', 'counter', 'online', 'hotline'];

/** '', ' (seniors)', ' (counter)' or ' (seniors, counter)'. */
function enQualifier(rng: Rng): string {
  const r = rng.next();
  if (r < 0.2) return '';
  if (r < 0.5) return ` (${rng.pick(EN_AUDIENCES)})`;
  if (r < 0.75) return ` (${rng.pick(EN_VIA)})`;
  return ` (${rng.pick(EN_AUDIENCES)}, ${rng.pick(EN_VIA)})`;
}

/** 'a bank card', 'an order'. */
const an = (noun: string) => (/^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`);
const EN_CHANNELS = ['the self-service kiosk', 'the mobile app', 'online banking', 'a staffed counter', 'the customer hotline'];
const EN_TIPS = [
  'Staff will never ask you for a verification code.',
  'If the system is under maintenance, please try again later or visit a counter.',
  'Remember to take your ID card and receipt when you finish.',
  'The kiosk is available every day from 8:00 to 20:00, including public holidays.',
  'Tap "Large text" at the top right to enlarge the screen.',
  'After two minutes without activity the session ends and your data is cleared.',
];
const EN_Q_TEMPLATES: readonly ((a: string, o: string) => string)[] = [
  (a, o) => `${a} ${o}`,
  (a, o) => `where can I ${a} my ${o}`,
  (a, o) => `I want to ${a} my ${o}`,
  (a, o) => `how long to ${a} ${o}`,
];

// ---------------------------------------------------------------------------------------------

export interface SyntheticOptions {
  seed?: number;
  /** Share of zh-CN articles, 0..1 (default 0.7). */
  zhShare?: number;
}

const BASE_DATE = Date.UTC(2024, 0, 1);

/** `n` valid ArticleRecords; same (n, seed) → same output; a smaller n is a prefix of a larger. */
export function generateArticles(n: number, options: SyntheticOptions = {}): ArticleRecord[] {
  const rng = new Rng(options.seed ?? DEFAULT_SEED);
  const zhShare = options.zhShare ?? 0.7;
  const titles = new Set<string>();
  const out: ArticleRecord[] = new Array<ArticleRecord>(n);
  const width = Math.max(6, String(n).length);
  for (let i = 0; i < n; i++) {
    const id = `syn-${String(i + 1).padStart(width, '0')}`;
    const zh = rng.next() < zhShare;
    const art = zh ? zhArticle(rng, id, titles, i) : enArticle(rng, id, titles, i);
    art.updatedAt = new Date(BASE_DATE + rng.int(0, 700) * 86_400_000 + rng.int(0, 86_399) * 1000).toISOString();
    out[i] = art;
  }
  return out;
}

function uniqueTitle(titles: Set<string>, draw: () => string, serial: number, zh: boolean): string {
  for (let attempt = 0; attempt < 8; attempt++) {
    const t = draw();
    if (!titles.has(t)) {
      titles.add(t);
      return t;
    }
  }
  const t = `${draw()}${zh ? `（${serial}）` : ` (${serial})`}`;
  titles.add(t);
  return t;
}

function zhArticle(rng: Rng, id: string, titles: Set<string>, serial: number): ArticleRecord {
  let obj = ZH_OBJECTS[0]!;
  let act = '';
  const title = uniqueTitle(
    titles,
    () => {
      obj = rng.pick(ZH_OBJECTS);
      act = rng.pick(obj.actions);
      return rng.pick(ZH_TITLE_TEMPLATES)(act, obj.word) + zhQualifier(rng);
    },
    serial,
    true,
  );
  const o = obj.word;
  const channel = rng.pick(ZH_CHANNELS);
  const steps = rng.int(3, 5);
  const lines: string[] = [
    `您可以通过${channel}${act}${o}，全程约${rng.int(2, 15)}分钟。${rng.pick(ZH_TIPS)}`,
    '',
    '## 办理步骤',
    `1. 在首页点击「${categoryLabel(obj.cat)}」，选择「${o}」。`,
    `2. 选择「${act}」，并按屏幕提示${rng.pick(ZH_VERIFY)}。`,
  ];
  for (let s = 3; s <= steps; s++) {
    lines.push(
      `${s}. ${rng.pick([
        `核对${o}信息无误后点击「确认」。`,
        `如需${rng.pick(obj.actions)}，请返回上一步重新选择。`,
        `${rng.pick(ZH_VERIFY)}完成身份验证。`,
        `打印回执单并妥善保管，凭回执可查询${act}进度。`,
        `阅读并同意《${o}服务协议》。`,
      ])}`,
    );
  }
  lines.push('', '## 所需材料', `- ${rng.pick(ZH_DOCS)}`, `- ${rng.pick(ZH_DOCS)}`, '', '## 注意事项');
  lines.push(`- ${o}${act}一般${rng.pick(ZH_TIMES)}生效，具体以短信通知为准。`);
  lines.push(`- ${rng.pick(ZH_TIPS)}`);
  if (rng.chance(0.4)) lines.push(`- 如需帮助，可通过${rng.pick(ZH_CHANNELS)}咨询，或在本机领取排队号前往柜台。`);
  const nq = rng.int(0, 3);
  const questions: string[] = [];
  for (let k = 0; k < nq; k++) questions.push(rng.pick(ZH_Q_TEMPLATES)(act, o));
  const art: ArticleRecord = {
    type: 'article',
    id,
    locale: 'zh-CN',
    categoryId: `cat-${obj.cat}`,
    title,
    body: lines.join('\n'),
    tags: [...new Set([o, act, channel])],
  };
  if (questions.length > 0) art.questions = [...new Set(questions)];
  return art;
}

function enArticle(rng: Rng, id: string, titles: Set<string>, serial: number): ArticleRecord {
  let obj = EN_OBJECTS[0]!;
  let act = '';
  const title = uniqueTitle(
    titles,
    () => {
      obj = rng.pick(EN_OBJECTS);
      act = rng.pick(obj.actions);
      return rng.pick(EN_TITLE_TEMPLATES)(act, obj.word) + enQualifier(rng);
    },
    serial,
    false,
  );
  const o = obj.word;
  const channel = rng.pick(EN_CHANNELS);
  const lines = [
    `You can ${act} your ${o} at ${channel}; it takes about ${rng.int(2, 15)} minutes. ${rng.pick(EN_TIPS)}`,
    '',
    '## Steps',
    `1. On the home screen tap **${categoryLabelEn(obj.cat)}**, then **${o}**.`,
    `2. Choose **${act}** and follow the prompts to ${rng.pick(['scan your ID card', 'enter the SMS code', 'verify your fingerprint', 'scan the QR code'])}.`,
    `3. Check the details and tap **Confirm**. ${rng.chance(0.5) ? 'Keep the printed receipt: its reference number lets you track the request.' : ''}`.trimEnd(),
    '',
    '## Good to know',
    `- Requests usually take effect ${rng.pick(['immediately', 'within one working day', 'within three working days', 'the same day'])}.`,
    `- ${rng.pick(EN_TIPS)}`,
  ];
  const nq = rng.int(0, 2);
  const questions: string[] = [];
  for (let k = 0; k < nq; k++) questions.push(rng.pick(EN_Q_TEMPLATES)(act, o));
  const art: ArticleRecord = {
    type: 'article',
    id,
    locale: 'en',
    categoryId: `cat-${obj.cat}`,
    title,
    body: lines.join('\n'),
    tags: [...new Set([o, act.split(' ')[0]!, channel.replace(/^(the|a) /, '')])],
  };
  if (questions.length > 0) art.questions = [...new Set(questions)];
  return art;
}

const CAT_LABELS: Record<string, [string, string]> = {
  cards: ['银行卡与证件卡', 'Cards'],
  password: ['账户与密码', 'Account and password'],
  account: ['账户与密码', 'Account and password'],
  identity: ['身份验证', 'Identity'],
  telecom: ['通信业务', 'Mobile and broadband'],
  payments: ['缴费', 'Payments'],
  invoices: ['发票', 'Invoices'],
  orders: ['订单与配送', 'Orders and delivery'],
  refunds: ['退款与退货', 'Refunds and returns'],
  deposits: ['存款与理财', 'Savings'],
  loans: ['贷款', 'Loans'],
  documents: ['证明与流水', 'Statements'],
  kiosk: ['使用本机', 'Using this kiosk'],
};
const categoryLabel = (cat: string) => CAT_LABELS[cat]?.[0] ?? '更多服务';
const categoryLabelEn = (cat: string) => CAT_LABELS[cat]?.[1] ?? 'More';

// ---------------------------------------------------------------------------------------------
// Queries and suggest prefixes.

export type QueryKind = 'zh-substring' | 'zh-paraphrase' | 'zh-typo' | 'en-fragment' | 'en-typo' | 'mixed' | 'hostile';

export interface SyntheticQuery {
  q: string;
  kind: QueryKind;
  /** The article the query was drawn from (absent for hostile strings). */
  expect?: string[];
}

/** Strings a search box must survive (issue 2 §3): FTS syntax, empty, one char, 10 000 chars. */
export const HOSTILE_QUERIES: readonly string[] = [
  '"',
  '*',
  'AND',
  'NEAR(',
  'a',
  '',
  '   ',
  'x'.repeat(10_000),
  '银'.repeat(10_000),
  '"unbalanced',
  'OR OR NOT',
  "' OR 1=1 --",
  'title:密码 AND body:*',
  'NEAR("a" "b", 2)',
  '^银行卡',
  '()',
  '\u0000\u0001',
  '😀🏦',
];

/** Common homophone / near-shape slips of real typing (general Chinese, not from any corpus). */
const ZH_TYPOS: Record<string, string> = {
  码: '马', 卡: '咔', 办: '半', 号: '好', 费: '废', 账: '帐', 户: '护', 退: '推', 查: '察', 询: '寻',
  密: '蜜', 证: '正', 理: '里', 款: '宽', 套: '逃', 餐: '参', 发: '法', 票: '漂', 宽: '款', 带: '代',
  申: '伸', 请: '清', 补: '不', 销: '消', 挂: '褂', 失: '湿', 修: '休', 改: '该', 存: '村', 贷: '袋',
};
const ZH_PARAPHRASE: readonly [RegExp, string][] = [
  [/如何/g, '怎样'],
  [/怎么办/g, '咋办'],
  [/怎么/g, '如何'],
  [/需要带哪些材料/g, '要带什么'],
  [/无法/g, '不能'],
  [/多久/g, '多长时间'],
  [/收费吗/g, '要钱吗'],
  [/在哪里查/g, '怎么看'],
];
const MIXED_QUERIES = ['SIM卡', '5G套餐', 'wifi密码', 'APP登录', 'PIN码', 'ATM取款', 'VIP窗口', 'QR码', 'ID card 身份证', '银行卡 card'];

function fragment(rng: Rng, text: string, minLen: number, maxLen: number): string {
  const chars = [...text.replace(/（[^）]*）$/, '')];
  const len = Math.min(chars.length, rng.int(minLen, maxLen));
  const start = rng.int(0, Math.max(0, chars.length - len));
  return chars.slice(start, start + len).join('');
}

function typoZh(rng: Rng, text: string): string {
  const chars = [...text];
  const candidates = chars.map((c, i) => (ZH_TYPOS[c] ? i : -1)).filter((i) => i >= 0);
  if (candidates.length === 0) return text;
  const i = rng.pick(candidates);
  chars[i] = ZH_TYPOS[chars[i]!]!;
  return chars.join('');
}

function typoEn(rng: Rng, text: string): string {
  const words = text.split(' ');
  const long = words.map((w, i) => (w.length >= 4 ? i : -1)).filter((i) => i >= 0);
  if (long.length === 0) return text;
  const wi = rng.pick(long);
  const w = [...words[wi]!];
  const k = rng.int(0, w.length - 2);
  [w[k], w[k + 1]] = [w[k + 1]!, w[k]!];
  words[wi] = w.join('');
  return words.join(' ');
}

const enWords = (title: string) => title.replace(/\s*\([^)]*\)$/, '').replace(/[?]/g, '').split(' ');

/**
 * `count` queries over `articles` (default 300): zh title substrings, paraphrased questions,
 * homophone typos, en fragments with and without letter swaps, mixed latin/CJK terms, and every
 * HOSTILE_QUERIES string once (when count allows). Deterministic for (articles, seed, count).
 */
export function generateQueries(articles: readonly ArticleRecord[], options: { seed?: number; count?: number } = {}): SyntheticQuery[] {
  const rng = new Rng((options.seed ?? DEFAULT_SEED) ^ 0x5bd1e995);
  const count = options.count ?? 300;
  const zh = articles.filter((a) => a.locale === 'zh-CN');
  const en = articles.filter((a) => a.locale === 'en');
  const out: SyntheticQuery[] = [];
  const hostile = HOSTILE_QUERIES.slice(0, Math.min(HOSTILE_QUERIES.length, Math.floor(count / 10)));
  const regular = count - hostile.length;
  for (let i = 0; i < regular; i++) {
    const r = rng.next();
    if (zh.length > 0 && r < 0.35) {
      const a = rng.pick(zh);
      out.push({ q: fragment(rng, a.title, 2, 8), kind: 'zh-substring', expect: [a.id] });
    } else if (zh.length > 0 && r < 0.5) {
      const a = rng.pick(zh);
      const source = a.questions && a.questions.length > 0 && rng.chance(0.5) ? rng.pick(a.questions) : a.title.replace(/（[^）]*）$/, '');
      let q = source;
      for (const [re, to] of ZH_PARAPHRASE) q = q.replace(re, to);
      out.push({ q, kind: 'zh-paraphrase', expect: [a.id] });
    } else if (zh.length > 0 && r < 0.62) {
      const a = rng.pick(zh);
      let q = fragment(rng, a.title, 4, 10);
      for (let attempt = 0; attempt < 4; attempt++) {
        const typo = typoZh(rng, q);
        if (typo !== q) {
          q = typo;
          break;
        }
        q = fragment(rng, a.title, 4, 10);
      }
      out.push({ q, kind: 'zh-typo', expect: [a.id] });
    } else if (en.length > 0 && r < 0.82) {
      const a = rng.pick(en);
      const words = enWords(a.title);
      const len = rng.int(2, Math.min(5, words.length));
      const start = rng.int(0, words.length - len);
      out.push({ q: words.slice(start, start + len).join(' ').toLowerCase(), kind: 'en-fragment', expect: [a.id] });
    } else if (en.length > 0 && r < 0.92) {
      const a = rng.pick(en);
      const words = enWords(a.title);
      out.push({ q: typoEn(rng, words.slice(-Math.min(4, words.length)).join(' ')), kind: 'en-typo', expect: [a.id] });
    } else {
      out.push({ q: rng.pick(MIXED_QUERIES), kind: 'mixed' });
    }
  }
  // Hostile strings spread through the list rather than bunched at the end.
  hostile.forEach((q, k) => {
    const at = Math.min(out.length, Math.floor(((k + 1) * out.length) / (hostile.length + 1)) + k);
    out.splice(at, 0, { q, kind: 'hostile' });
  });
  return out;
}

export type PrefixKind = 'zh-prefix' | 'pinyin' | 'initials' | 'en-prefix';

export interface SuggestPrefix {
  prefix: string;
  kind: PrefixKind;
  /** Title the prefix was taken from. */
  from: string;
}

const HAN = /^\p{Script=Han}+/u;

/**
 * `count` suggest-as-you-type prefixes (default 100): Chinese title prefixes of 1–4 characters,
 * full pinyin of the first 2–3 characters (`mima`), pinyin initials of the first 2–4 (`mmzh`),
 * English title prefixes. Deterministic for (articles, seed, count).
 */
export function generatePrefixes(articles: readonly ArticleRecord[], options: { seed?: number; count?: number } = {}): SuggestPrefix[] {
  const rng = new Rng((options.seed ?? DEFAULT_SEED) ^ 0x27d4eb2f);
  const count = options.count ?? 100;
  const zh = articles.filter((a) => a.locale === 'zh-CN' && HAN.test(a.title));
  const en = articles.filter((a) => a.locale === 'en');
  const out: SuggestPrefix[] = [];
  while (out.length < count) {
    const r = rng.next();
    if (zh.length > 0 && r < 0.4) {
      const a = rng.pick(zh);
      out.push({ prefix: [...a.title].slice(0, rng.int(1, 4)).join(''), kind: 'zh-prefix', from: a.title });
    } else if (zh.length > 0 && r < 0.6) {
      const a = rng.pick(zh);
      const han = [...HAN.exec(a.title)![0]].slice(0, rng.int(2, 3)).join('');
      out.push({ prefix: pinyin(han, { toneType: 'none', type: 'array' }).join(''), kind: 'pinyin', from: a.title });
    } else if (zh.length > 0 && r < 0.8) {
      const a = rng.pick(zh);
      const han = [...HAN.exec(a.title)![0]].slice(0, rng.int(2, 4)).join('');
      out.push({ prefix: pinyin(han, { pattern: 'first', toneType: 'none', type: 'array' }).join(''), kind: 'initials', from: a.title });
    } else if (en.length > 0) {
      const a = rng.pick(en);
      out.push({ prefix: a.title.slice(0, rng.int(3, 14)).toLowerCase(), kind: 'en-prefix', from: a.title });
    }
  }
  return out;
}

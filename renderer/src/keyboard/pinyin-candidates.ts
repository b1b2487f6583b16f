// Pinyin → Chinese candidates for the on-screen keyboard.
//
// Why no IME library: npm has no well-kept pinyin-to-hanzi package for the browser (pinyin-pro and
// its kin only go hanzi → pinyin; the reverse dictionaries are large CC-CEDICT dumps that would
// blow the first-screen bundle budget). The search box only has to find what is in the KB, so the
// candidates come from the KB itself: kb.suggest already matches full pinyin and initials
// (`mima`, `mmzh` → 密码找回), so its phrases are candidates, and the first character of each
// pinyin match is a single-character candidate (`gua` → 挂 光 官). A small table of common
// characters covers syllables no KB phrase starts with.
import type { Suggestion } from '../../../contracts/kiosk-api.ts';

export const COMMON_CHARS: Readonly<Record<string, string>> = {
  a: '啊', ai: '爱', an: '安按', ba: '把吧八', bai: '白百', ban: '办半', bang: '帮', bao: '保报包', bei: '被北',
  ben: '本', bian: '变边', biao: '表', bie: '别', bu: '不部补', cai: '才', chang: '常长', che: '车', cheng: '成',
  chu: '出处', ci: '次', cun: '存', cuo: '错', da: '大打', dai: '代带', dan: '但单', dao: '到道', de: '的得',
  deng: '等登', di: '地', dian: '点电', diu: '丢', dong: '动', dou: '都', duan: '短', dui: '对', duo: '多',
  e: '额', er: '二', fa: '发', fang: '方', fei: '费', fen: '分', fu: '付服', gai: '改', gao: '高', ge: '个',
  gei: '给', gong: '工', gua: '挂', guan: '关', guo: '过国', hai: '还', hao: '号好', he: '和', hou: '后',
  hu: '户', hua: '话', huan: '换还', hui: '会回', huo: '或', ji: '机记', jia: '家', jian: '件', jiao: '交',
  jie: '借', jin: '金进', jiu: '就', ka: '卡', kai: '开', ke: '可', kou: '口', kuan: '款', le: '了',
  li: '里理', liang: '两', ling: '领', ma: '码吗', mei: '没', men: '们', mi: '密', ming: '名', na: '哪',
  nei: '内', neng: '能', ni: '你', nian: '年', qi: '期', qian: '钱', qing: '请', qu: '取', ren: '人',
  ri: '日', ru: '如', shang: '上', shao: '少', shen: '身', shi: '是时', shou: '手收', shu: '输', shui: '谁',
  shuo: '说', suo: '锁', ta: '他', tai: '太', ti: '提', tong: '通', tui: '退', wang: '网', wei: '为',
  wen: '问', wo: '我', xian: '现', xiao: '小', xie: '写', xin: '信新', xing: '行', xiu: '修', xu: '需',
  yao: '要', ye: '业', yi: '一', yin: '银', yong: '用', you: '有', yu: '余', yuan: '元', yue: '月',
  zai: '在', zen: '怎', zhang: '账', zhao: '找', zhe: '这', zhi: '支', zhong: '中', zhuan: '转', zi: '自',
  zuo: '做',
};

/** At most `limit` distinct candidates: KB phrases first, then leading characters, then the table. */
export function pinyinCandidates(buffer: string, suggestions: readonly Suggestion[], limit = 10): string[] {
  const out: string[] = [];
  const add = (c: string) => {
    if (c && !out.includes(c)) out.push(c);
  };
  const byPinyin = suggestions.filter((s) => s.match === 'pinyin' || s.match === 'initials');
  for (const s of byPinyin) add(s.text);
  for (const s of byPinyin) if (s.match === 'pinyin') add([...s.text][0] ?? '');
  for (const c of COMMON_CHARS[buffer] ?? '') add(c);
  return out.slice(0, limit);
}

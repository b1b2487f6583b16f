// General-purpose language knowledge for search: stop words, question words and a few everyday
// service-desk synonyms. Nothing here comes from any evaluation corpus; it is what a Chinese or
// English speaker knows. KB-specific synonyms come from the bundle (`synonyms` records).

/** Chinese characters that carry no topic on their own (particles, pronouns, politeness). */
export const ZH_STOP_CHARS = new Set([...'的了吗呢吧啊呀哦嘛么是我你您他她它们这那个请问一下得地着过哈嗯呗怎咋啥']);
// 呗 is a modal particle in everyday speech (去呗); as a topic character it still lives in bigrams.

/** Chinese words that carry no topic. Question words are not here: they become intents below. */
export const ZH_STOP_WORDS = new Set([
  '的', '了', '吗', '呢', '吧', '啊', '呀', '哦', '嘛', '是', '我', '我的', '你', '你们', '您', '他', '她', '它', '我们',
  '这', '那', '这个', '那个', '这样', '那样', '请', '请问', '一下', '一个', '就是', '还是', '但是', '然后', '因为',
  '所以', '如果', '的话', '现在', '已经', '可是', '而且', '自己', '知道', '问', '想', '想要', '我想', '一直', '这种',
]);

export const EN_STOP_WORDS = new Set([
  'a', 'an', 'the', 'is', 'are', 'was', 'were', 'be', 'been', 'am', 'i', 'me', 'my', 'you', 'your', 'we', 'our', 'it',
  'its', 'to', 'of', 'in', 'on', 'at', 'for', 'with', 'by', 'from', 'and', 'or', 'but', 'this', 'that', 'these',
  'those', 'do', 'does', 'did', 'so', 'if', 'please', 'there', 'here', 'some', 'any', 'just', 'about', 'into', 'as',
]);

/**
 * Question intents: different wordings of the same question word become one token, so 如何 matches
 * 怎么 and "how do I" matches "how to". Longest forms first (matched greedily).
 */
export const QUESTION_INTENTS: ReadonlyArray<readonly [intent: string, forms: readonly string[]]> = [
  ['why', ['为什么', '为何', '为啥', '干吗', '干嘛', '怎么会', 'why']],
  ['cannot', ['用不了', '不能', '不可以', '无法', '没法', '不了', '不行', '失败', "can't", 'cannot', 'unable', 'fail', 'fails', 'failed']],
  ['how', ['怎么样', '怎么办', '怎样', '怎么', '如何', '咋', '怎', 'how']],
  ['when', ['什么时候', '何时', '几点', '多久', 'when']],
  ['where', ['在哪里', '在哪儿', '哪里', '哪儿', '在哪', '何处', 'where']],
  ['amount', ['多少钱', '多少', '几个', '多大', 'how much', 'how many']],
  ['can', ['能不能', '可不可以', '可以吗', '能否', '是否可以', '可以', '能', 'can']],
  ['what', ['什么', '啥', 'what']],
];

/** Everyday near-synonyms at a service desk (both locales). Each group is one concept. */
export const GENERAL_SYNONYMS: ReadonlyArray<readonly string[]> = [
  ['修改', '更改', '变更', '更换', 'change', 'modify', 'update'],
  ['查询', '查看', '查一下', 'check', 'view', 'look up'],
  ['办理', '申请', '开通', 'apply', 'open'],
  ['取消', '撤销', 'cancel'],
  ['注销', '销户', 'close account'],
  ['最高', '最大', '最多', '上限', 'maximum', 'max', 'limit'],
  ['额度', '限额', 'quota'],
  ['手机号', '手机号码', '电话号码', 'phone number', 'mobile number'],
  ['到账', '到帐', '入账', '入帐', 'arrive'],
  ['还款', '还钱', 'repay', 'repayment'],
  ['退款', '退钱', 'refund'],
  ['付款', '支付', '付钱', 'pay', 'payment'],
  ['收款', '收钱', 'receive money', 'collect payment'],
  ['登录', '登陆', '登入', 'log in', 'login', 'sign in'],
  ['密码', '口令', 'password', 'passcode'],
  ['帐号', '账号', '帐户', '账户', 'account'],
  ['身份证', '身份证件', 'id card'],
  ['营业时间', '上班时间', '开门时间', 'opening hours', 'business hours'],
];

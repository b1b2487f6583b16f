// The assistant's intents: what a customer wants beyond an article, in both languages, and the
// questions that must stay plain KB questions.
import { describe, expect, it } from 'vitest';
import { detectIntent } from '../../../core/assistant/intents.ts';

describe('assistant intents', () => {
  it.each([
    ['我要转人工', 'person'],
    ['能不能找工作人员帮我', 'person'],
    ['I want to talk to a person', 'person'],
    ['Can I speak to an agent?', 'person'],
    ['人工客服，我要退款', 'person'],
    ['我要退货', 'refund'],
    ['退款多久到账', 'refund'],
    ['How do I get a refund?', 'refund'],
    ['I want to return an item', 'refund'],
    ['我的订单到哪了', 'order-status'],
    ['快递什么时候送到', 'order-status'],
    ['Where is my order?', 'order-status'],
    ['track my parcel', 'order-status'],
    ['ＲＥＦＵＮＤ', 'refund'],
  ] as const)('%s → %s', (text, intent) => {
    expect(detectIntent(text)).toBe(intent);
  });

  it.each(['忘记密码怎么办', '银行卡丢了', 'I forgot my password', 'opening hours', 'personal loan rates', 'ordinary savings account', 'returning customer discount', ''])(
    '%s → no intent',
    (text) => {
      expect(detectIntent(text)).toBeNull();
    },
  );

  it('hostile input: long, control characters, regex-looking text', () => {
    expect(detectIntent('a'.repeat(100_000))).toBeNull();
    expect(detectIntent('\u0000\u202e.*(退款')).toBe('refund');
    expect(detectIntent('((((((((((((((((((((a')).toBeNull();
  });
});

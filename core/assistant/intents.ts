// What the customer wants beyond an article: their order's status, a refund or return, or a
// person. Detected with word lists in both languages (no model: the kiosk works offline on modest
// hardware and these three intents have small, stable vocabularies). The assistant still answers
// from the KB; an intent adds the action that takes the customer there (orders, or a ticket).
import type { AssistantIntent } from '../../contracts/kiosk-api.ts';

const PATTERNS: ReadonlyArray<readonly [AssistantIntent, RegExp]> = [
  // Checked in this order: asking for a person wins over the topic they are stuck on.
  ['person', /人工|客服|真人|工作人员|转人工|找人帮|\b(human|real person|agent|representative|operator|member of staff|talk to (a |an |some)?(person|one|body|staff))\b/iu],
  ['refund', /退款|退货|退钱|退费|退回|\b(refunds?|refunded|money back|return (an? |my |the |this )?(item|order|product|goods|purchase)s?|send (it |them )?back)\b/iu],
  ['order-status', /订单|物流|快递|发货|到哪|配送|送到|签收|\b(my order|order status|orders?|where is my|track(ing)?|deliver(y|ed)?|shipp(ed|ing)|parcel|package)\b/iu],
];

export function detectIntent(text: string): AssistantIntent | null {
  const t = text.normalize('NFKC').slice(0, 500);
  for (const [intent, re] of PATTERNS) if (re.test(t)) return intent;
  return null;
}

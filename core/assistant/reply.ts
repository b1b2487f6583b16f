// The assistant's reply to a question, from the KB's search hits for it: the article when the best
// hit wins clearly, a few choices when it is close, a person when nothing fits or the customer asks
// for one — with the intent (orders, refund, person) that adds the action taking them there.
import type { KioskResult } from '../../contracts/kiosk-api.ts';
import { articleSummary } from '../kb/store.ts';
import { detectIntent } from './intents.ts';

/** Confidence from which the best hit is the answer, and from which choices are offered. */
export const ASSISTANT_ANSWER = 0.6;
export const ASSISTANT_CHOICES = 0.25;

type Hit = { id: string; categoryId: string | null; title: string; score: number };

export function assistantReply(text: string, hits: readonly Hit[]): KioskResult<'assistant.ask'> {
  const intent = detectIntent(text);
  if (intent === 'person' || hits.length === 0) return { kind: 'handover', article: null, choices: [], confidence: 0, intent };
  // Scores are relative to the best hit; confidence is how clearly the best one wins.
  const [top, second] = hits;
  const confidence = Math.max(0, Math.min(1, hits.length === 1 ? 0.9 : 0.5 + (top!.score - (second?.score ?? 0))));
  if (confidence >= ASSISTANT_ANSWER) return { kind: 'answer', article: articleSummary(top!), choices: hits.slice(1, 3).map(articleSummary), confidence, intent };
  if (confidence >= ASSISTANT_CHOICES) return { kind: 'choices', article: null, choices: hits.slice(0, 3).map(articleSummary), confidence, intent };
  return { kind: 'handover', article: null, choices: [], confidence, intent };
}

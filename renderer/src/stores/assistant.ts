// The assistant's chat: the customer's questions and the answers from assistant.ask (an article,
// choices below the confidence threshold, or a handover to a person). Wiped on session end.
import { defineStore } from 'pinia';
import type { ArticleSummary, AssistantIntent } from '../../../contracts/kiosk-api.ts';
import { kiosk } from '../api/kiosk.ts';
import { useAppStore } from './app.ts';

export type ChatContent =
  | { from: 'customer'; text: string }
  | { from: 'assistant'; kind: 'answer'; article: ArticleSummary; more: ArticleSummary[] }
  | { from: 'assistant'; kind: 'choices'; choices: ArticleSummary[] }
  | { from: 'assistant'; kind: 'person'; reference: string | null }
  /** The customer wants an action too: their orders, a refund/return, or a person. */
  | { from: 'assistant'; kind: 'intent'; intent: AssistantIntent }
  | { from: 'assistant'; kind: 'handover' | 'error' };
export type ChatMessage = ChatContent & { id: number };

export const useAssistantStore = defineStore('assistant', {
  state: () => ({
    messages: [] as ChatMessage[],
    pending: false,
    nextId: 1,
  }),
  actions: {
    push(m: ChatContent) {
      this.messages.push({ ...m, id: this.nextId++ });
    },
    async ask(text: string) {
      const question = text.trim().slice(0, 500);
      if (!question || this.pending) return;
      this.push({ from: 'customer', text: question });
      this.pending = true;
      try {
        const r = await kiosk().call('assistant.ask', { text: question, locale: useAppStore().locale });
        if (r.kind === 'answer' && r.article) this.push({ from: 'assistant', kind: 'answer', article: r.article, more: r.choices });
        else if (r.kind === 'choices' && r.choices.length) this.push({ from: 'assistant', kind: 'choices', choices: r.choices });
        else if (r.intent !== 'person') this.push({ from: 'assistant', kind: 'handover' });
        if (r.intent) this.push({ from: 'assistant', kind: 'intent', intent: r.intent });
      } catch {
        this.push({ from: 'assistant', kind: 'error' });
      } finally {
        this.pending = false;
      }
    },
    /**
     * "Talk to a person": a ticket with the customer's last question goes to the outbox (delivered
     * to the hub when it is reachable) and the chat shows its reference; where tickets are not
     * available the kiosk still says plainly how to get a person.
     */
    async askForPerson(label: string) {
      const lastQuestion = [...this.messages].reverse().find((m) => m.from === 'customer')?.text;
      this.push({ from: 'customer', text: label });
      let reference: string | null = null;
      if (useAppStore().info?.features.tickets) {
        try {
          reference = (await kiosk().call('tickets.submit', { category: 'assistant-handover', text: (lastQuestion ?? label).slice(0, 2000) })).reference;
        } catch {
          reference = null; // the message below still tells the customer what to do
        }
      }
      this.push({ from: 'assistant', kind: 'person', reference });
    },
    dehydrate() {
      this.$reset();
    },
  },
});

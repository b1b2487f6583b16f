// The on-screen keyboard of the search box: its mode, the pinyin being composed, the candidates
// for it and the text typed so far. All of it is the customer's input: $reset on session end.
import { defineStore } from 'pinia';
import { kiosk } from '../api/kiosk.ts';
import { pinyinCandidates } from '../keyboard/pinyin-candidates.ts';
import { useAppStore } from './app.ts';
import { useAssistantStore } from './assistant.ts';
import { useHelpStore } from './help.ts';

export type KeyboardMode = 'pinyin' | 'en' | 'digits';
/** Special keys, named as simple-keyboard writes them in a layout. */
export type SpecialKey = '{bksp}' | '{space}' | '{search}' | '{lang}' | '{123}' | '{abc}';

const MAX_TEXT = 200;
const MAX_BUFFER = 24;

/** The screen whose text box the keyboard types into. */
export type KeyboardTarget = 'help' | 'assistant' | 'ticket' | 'address';

export const useKeyboardStore = defineStore('keyboard', {
  state: () => ({
    mode: 'pinyin' as KeyboardMode,
    /** Letters typed in pinyin mode and not yet turned into Chinese. */
    buffer: '',
    candidates: [] as string[],
    /** The text of the search box. */
    text: '',
    /** What Enter does: search the help centre, or send to the assistant. */
    target: 'help' as KeyboardTarget,
  }),
  actions: {
    /** The keyboard's language follows the screen's when nothing is being typed. */
    followLocale(locale: string) {
      if (!this.buffer && this.mode !== 'digits') this.mode = locale === 'en' ? 'en' : 'pinyin';
    },
    async press(key: string) {
      switch (key as SpecialKey) {
        case '{bksp}':
          if (this.buffer) this.buffer = this.buffer.slice(0, -1);
          else this.text = [...this.text].slice(0, -1).join('');
          break;
        case '{space}':
          if (this.buffer) return this.choose(this.candidates[0] ?? this.buffer);
          if (this.text && !this.text.endsWith(' ')) this.text += ' ';
          break;
        case '{search}':
          this.text = (this.text + this.buffer).slice(0, MAX_TEXT);
          this.buffer = '';
          this.candidates = [];
          if (this.target === 'assistant') {
            const text = this.text;
            this.text = '';
            return useAssistantStore().ask(text);
          }
          // The ticket form sends with its own button: Enter only commits the pinyin being typed.
          if (this.target === 'ticket' || this.target === 'address') return;
          return useHelpStore().search(this.text);
        case '{lang}':
          this.text += this.buffer;
          this.buffer = '';
          this.candidates = [];
          this.mode = this.mode === 'pinyin' ? 'en' : 'pinyin';
          return;
        case '{123}':
          this.mode = 'digits';
          return;
        case '{abc}':
          this.mode = useAppStore().locale === 'en' ? 'en' : 'pinyin';
          return;
        default:
          if (!/^[a-z0-9]$/.test(key)) return;
          if (this.mode === 'pinyin' && /[a-z]/.test(key)) {
            if (this.buffer.length < MAX_BUFFER) this.buffer += key;
          } else if (this.text.length < MAX_TEXT) {
            this.text += key;
          }
      }
      await Promise.all([this.refreshCandidates(), this.suggest()]);
    },
    /** A candidate tapped: it replaces the pinyin being composed. */
    async choose(candidate: string) {
      this.text = (this.text + candidate).slice(0, MAX_TEXT);
      this.buffer = '';
      this.candidates = [];
      await this.suggest();
    },
    /** Typed on a physical keyboard (allowed, never assumed). */
    async setText(text: string) {
      this.text = text.slice(0, MAX_TEXT);
      await this.suggest();
    },
    async suggest() {
      if (this.target === 'help') await useHelpStore().suggest(this.text + this.buffer);
    },
    async refreshCandidates() {
      const buffer = this.buffer;
      if (!buffer) {
        this.candidates = [];
        return;
      }
      const got = await kiosk()
        .call('kb.suggest', { prefix: buffer, locale: 'zh-CN', limit: 8 })
        .catch(() => []);
      if (this.buffer === buffer) this.candidates = pinyinCandidates(buffer, got);
    },
    /** A screen with a text box takes the keyboard; what was typed for another screen is dropped. */
    attach(target: KeyboardTarget) {
      if (this.target !== target) {
        this.text = '';
        this.buffer = '';
        this.candidates = [];
        this.target = target;
      }
    },
    dehydrate() {
      this.$reset();
    },
  },
});

// Looks up concept tokens (question intents, synonym groups) in a sequence of surface words.
// Built once per synonym set: the general lists of lexicon.ts plus the KB's own synonym groups.
import { GENERAL_SYNONYMS, QUESTION_INTENTS } from './lexicon.ts';
import { normalize } from './normalize.ts';
import { surfaceWords } from './segment.ts';
import type { SynonymGroup } from '../kb/kb-index.ts';

const MAX_FORM_WORDS = 4;

export class Lexicon {
  /** Form (surface words joined by \u0001) → concept tokens. */
  private readonly forms = new Map<string, string[]>();
  private readonly questionForms = new Set<string>();
  private readonly firstWords = new Set<string>();
  /** Synonym-group token → its terms (question intents are not expanded: they only hint). */
  private readonly groupTerms = new Map<string, string[]>();

  constructor(kbGroups: readonly SynonymGroup[] = []) {
    for (const [intent, forms] of QUESTION_INTENTS) {
      for (const f of forms) {
        this.add(f, `qw_${intent}`);
        this.questionForms.add(normalize(f));
      }
    }
    GENERAL_SYNONYMS.forEach((terms, i) => this.addGroup(`syn_g${i}`, terms));
    for (const g of kbGroups) this.addGroup(`syn_${g.key.replace(/[^A-Za-z0-9]/g, '_')}`, g.terms);
  }

  private addGroup(token: string, terms: readonly string[]): void {
    for (const t of terms) this.add(t, token);
    this.groupTerms.set(token, [...terms]);
  }

  termsOf(conceptToken: string): readonly string[] {
    return this.groupTerms.get(conceptToken) ?? [];
  }

  private add(form: string, token: string): void {
    const words = surfaceWords(normalize(form));
    const key = words.join('\u0001');
    if (!key) return;
    this.firstWords.add(words[0]!);
    const list = this.forms.get(key) ?? [];
    if (!list.includes(token)) list.push(token);
    this.forms.set(key, list);
  }

  isQuestionForm(word: string): boolean {
    return this.questionForms.has(word);
  }

  /** Concept tokens found in `words` (longest match first at each position). */
  concepts(words: readonly string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < words.length; i++) {
      // Most words start no form: one set lookup skips the joins (hot path when indexing).
      if (!this.firstWords.has(words[i]!)) continue;
      for (let n = Math.min(MAX_FORM_WORDS, words.length - i); n >= 1; n--) {
        const hit = this.forms.get(words.slice(i, i + n).join('\u0001'));
        if (hit) {
          out.push(...hit);
          i += n - 1;
          break;
        }
      }
    }
    return out;
  }
}

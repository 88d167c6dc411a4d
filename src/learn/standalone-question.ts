import { generateText, type LanguageModel } from 'ai';

export interface EarlierTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** Rewrites a follow-up question so it can be understood without the conversation before it. */
export type QuestionRewriter = (earlier: EarlierTurn[], question: string) => Promise<string>;

const followUpStart = /^(and|but|also|so|then|what about|how about|what if|ok(ay)?|same|still)\b/i;
const pronoun = /\b(it|its|it's|they|them|their|this|that|these|those|one)\b/i;

/** Whether a question leans on earlier turns: it opens like a follow-up, or points back with a pronoun. */
export function isFollowUp(question: string, products: string[] = []): boolean {
  const q = question.trim();
  if (followUpStart.test(q)) return true;
  return productMentioned(q, products) === undefined && pronoun.test(q);
}

/**
 * The product a text mentions, if any: customers shorten names ("my Flit 2 earbuds" for "Kestrel Flit 2
 * Noise-Cancelling Earbuds"), so a product counts when the first word of its name after the brand appears,
 * and the one sharing the most words with the text wins.
 */
export function productMentioned(text: string, products: string[]): string | undefined {
  const words = new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  let best: { name: string; score: number } | undefined;
  for (const name of products) {
    const parts = (name.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(1);
    if (!parts.length || !words.has(parts[0]!)) continue;
    const score = parts.filter((p) => words.has(p)).length;
    if (!best || score > best.score || (score === best.score && name.length < best.name.length))
      best = { name, score };
  }
  return best?.name;
}

/**
 * A stand-alone version of a question, by rule: when the question is a follow-up, its pronoun is replaced by
 * the product named earlier in the conversation ("Does it support multipoint?" → "Does the Kestrel Flit 2
 * Earbuds support multipoint?"); otherwise the customer's previous message is put in front of it, so the
 * question carries its context.
 */
export function standaloneByRules(earlier: EarlierTurn[], question: string, products: string[] = []): string {
  const q = question.trim();
  const previousUser = earlier.filter((t) => t.role === 'user').map((t) => t.content.trim());
  if (previousUser.length === 0 || !isFollowUp(q, products)) return q;
  const product = [...earlier]
    .reverse()
    .map((t) => productMentioned(t.content, products))
    .find(Boolean);
  if (product && !followUpStart.test(q)) {
    let replaced = false;
    const rewritten = q.replace(/\b(its|it|they|them|this one|that one)\b/i, (word) => {
      replaced = true;
      return word.toLowerCase() === 'its' ? `the ${product}'s` : `the ${product}`;
    });
    if (replaced) return capitalise(rewritten);
  }
  const context = previousUser.at(-1)!.replace(/\s+/g, ' ');
  const sentence = /[.?!]$/.test(context) ? context : `${context}.`;
  return `${sentence} ${capitalise(q.replace(followUpStart, '').replace(/^[\s,]+/, '')) || q}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A rewriter that asks a language model, falling back to the rules when the model fails or returns nothing
 * usable. Questions that are not follow-ups are left as they are without a model call.
 */
export function llmRewriter(model: LanguageModel, products: string[] = []): QuestionRewriter {
  return async (earlier, question) => {
    if (earlier.length === 0 || !isFollowUp(question, products)) return question.trim();
    try {
      const { text } = await generateText({
        model,
        instructions:
          'Rewrite the customer\u2019s last question so that it can be understood without the conversation: ' +
          'name the product or the subject it refers to. Keep the customer\u2019s wording otherwise. Reply ' +
          'with the rewritten question only.',
        prompt: [
          ...earlier.map((t) => `${t.role === 'user' ? 'Customer' : 'Agent'}: ${t.content}`),
          `Last question: ${question}`,
        ].join('\n'),
        maxRetries: 1,
      });
      const rewritten = text.trim().replace(/^["'“]|["'”]$/g, '');
      if (rewritten && rewritten.length <= 1000) return rewritten;
    } catch {
      // A model failure costs only the nicer wording.
    }
    return standaloneByRules(earlier, question, products);
  };
}

/** The rules as a rewriter. */
export function ruleRewriter(products: string[] = []): QuestionRewriter {
  return async (earlier, question) => standaloneByRules(earlier, question, products);
}

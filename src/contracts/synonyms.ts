import { z } from '@hono/zod-openapi';

/** One group of wordings that mean the same to this company's customers ("Plus plan", "premium"). */
export const SynonymGroup = z
  .array(z.string().trim().min(1).max(60))
  .min(2)
  .max(20)
  .openapi('SynonymGroup', { example: ['kestrel plus', 'premium plan', 'paid plan'] });
export type SynonymGroup = z.infer<typeof SynonymGroup>;

/** The staff-edited synonyms the knowledge search bridges, on top of the built-in support vocabulary. */
export const Synonyms = z
  .object({
    groups: z.array(SynonymGroup).max(500),
    updatedAt: z.string().nullable().openapi({ description: 'When staff last saved them; null if never' }),
  })
  .openapi('Synonyms');
export type Synonyms = z.infer<typeof Synonyms>;

/** The body of `PUT /api/admin/synonyms`: the whole list, replacing the stored one. */
export const SaveSynonyms = z.object({ groups: z.array(SynonymGroup).max(500) }).openapi('SaveSynonyms');
export type SaveSynonyms = z.infer<typeof SaveSynonyms>;

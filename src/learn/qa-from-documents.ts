import { generateText, type LanguageModel } from 'ai';
import { and, eq, isNotNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { type Citation, chunks, documents, documentVersions, products } from '../db/schema/index.ts';
import { versionText } from '../knowledge/version-text.ts';
import { headingQuestion } from './heading-questions.ts';
import { PiiScrubber } from './pii.ts';
import type { QaCandidate } from './qa-candidate.ts';

/** A section of a document: its heading path and the text under its heading (subsections excluded). */
export interface DocumentSection {
  path: string[];
  text: string;
}

/** Splits a document's Markdown text into sections by its headings; the title (`#`) section comes first. */
export function splitSections(markdown: string): DocumentSection[] {
  const sections: DocumentSection[] = [];
  const stack: { level: number; heading: string }[] = [];
  let body: string[] = [];
  const flush = () => {
    const text = body.join('\n').trim();
    if (stack.length || text) sections.push({ path: stack.map((s) => s.heading), text });
    body = [];
  };
  for (const line of markdown.split('\n')) {
    const heading = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) {
      body.push(line);
      continue;
    }
    flush();
    const level = heading[1]!.length;
    while (stack.length && stack.at(-1)!.level >= level) stack.pop();
    stack.push({ level, heading: heading[2]!.replace(/\*\*/g, '') });
  }
  flush();
  return sections;
}

const minSectionChars = 60;
const maxAnswerChars = 1500;
const stepsPattern = /^\s*\d+[.)]\s+/m;

/** The answer a section gives by rule: its steps or bullet points whole, else its first paragraphs. */
function sectionAnswer(text: string): string {
  if (/^\s*\d+[.)]\s+/m.test(text) || text.length <= maxAnswerChars) return clip(text);
  const paragraphs = text.split(/\n\s*\n/);
  let out = '';
  for (const p of paragraphs) {
    if (out && out.length + p.length > 800) break;
    out = out ? `${out}\n\n${p}` : p;
  }
  return clip(out);
}

function clip(text: string): string {
  const t = text.trim();
  if (t.length <= maxAnswerChars) return t;
  const cut = t.slice(0, maxAnswerChars);
  return `${cut.slice(0, Math.max(cut.lastIndexOf('\n'), cut.lastIndexOf('. ') + 1, 1000)).trim()}`;
}

/**
 * The product a document is about, for questions ("How do I pair my Flit 2 Noise-Cancelling Earbuds?"), without
 * the brand word customers leave out; empty for documents about no product (policies), whose titles read badly
 * as the object of a question.
 */
function subjectOf(productName: string | null): string {
  return productName ? productName.split(/\s+/).slice(1).join(' ') : '';
}

const llmPairs = z.object({
  pairs: z
    .array(z.object({ question: z.string().min(5).max(500), answer: z.string().min(2).max(4000) }))
    .max(5),
});

/** Asks a model for the questions a customer would ask of a section, answered from the section only. */
async function askModel(
  model: LanguageModel,
  title: string,
  section: DocumentSection,
): Promise<{ question: string; answer: string }[]> {
  const { text } = await generateText({
    model,
    instructions:
      'You write training data for a customer-support assistant. Given a section of the company\u2019s ' +
      'documentation, write up to 3 questions a customer would really ask that this section answers, each ' +
      'with a short, complete answer taken only from the section. Reply with JSON only: ' +
      '{"pairs":[{"question":"...","answer":"..."}]}. Reply {"pairs":[]} if the section answers no customer question.',
    prompt: `Document: ${title}\nSection: ${section.path.join(' > ')}\n\n${section.text.slice(0, 6000)}`,
    maxRetries: 1,
  });
  const json = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  return llmPairs.parse(JSON.parse(json)).pairs;
}

/**
 * Proposes pairs from the current version of every active document, one or more per section. With a model,
 * the model writes the questions a customer would ask of each section (falling back to the rules for a section
 * when it fails); without one, a question is derived from the heading ("Resetting the hub" with steps → "How do
 * I reset the hub?") and the section's steps or first paragraphs are the answer. Each pair cites the section's
 * chunk. Sections already turned into pairs (same document version and heading) are skipped.
 */
export async function pairsFromDocuments(
  db: Db,
  model: { model: LanguageModel; id: string } | undefined,
  skipKeys: Set<string>,
): Promise<QaCandidate[]> {
  const docs = await db
    .select({
      documentId: documents.id,
      source: documents.source,
      title: documentVersions.title,
      versionId: documentVersions.id,
      productName: products.name,
    })
    .from(documents)
    .innerJoin(documentVersions, eq(documentVersions.id, documents.currentVersionId))
    .leftJoin(products, eq(products.sku, documents.product))
    .where(and(eq(documents.status, 'active'), isNotNull(documents.currentVersionId)));
  const candidates: QaCandidate[] = [];
  for (const doc of docs) {
    const sectionChunks = await db
      .select({ id: chunks.id, headingPath: chunks.headingPath, heading: chunks.heading })
      .from(chunks)
      .where(eq(chunks.versionId, doc.versionId))
      .orderBy(chunks.ordinal);
    const subject = subjectOf(doc.productName);
    for (const section of splitSections(await versionText(db, doc.versionId))) {
      const heading = section.path.at(-1);
      if (!heading || section.path.length < 2 || section.text.length < minSectionChars) continue;
      const baseKey = `document:${doc.versionId}:${section.path.join(' > ').toLowerCase()}`;
      if (skipKeys.has(`${baseKey}#1`)) continue;
      const chunk =
        sectionChunks.find((c) => c.headingPath.at(-1) === heading) ??
        sectionChunks.find((c) => c.headingPath.includes(heading));
      const citation: Citation | undefined = chunk && {
        source: doc.source,
        documentId: doc.documentId,
        versionId: doc.versionId,
        chunkId: chunk.id,
        heading: chunk.heading || heading,
        title: doc.title,
      };
      let made: { question: string; answer: string }[] = [];
      let generator = 'rules';
      if (model) {
        made = await askModel(model.model, doc.title, section).catch(() => []);
        if (made.length) generator = `llm:${model.id}`;
      }
      if (!made.length) {
        const question = headingQuestion(heading, subject, stepsPattern.test(section.text));
        if (question) made = [{ question, answer: sectionAnswer(section.text) }];
      }
      // Documentation should hold no customer data, but examples in it may look like some.
      const scrubber = new PiiScrubber();
      made.forEach((pair, i) =>
        candidates.push({
          question: scrubber.scrub(pair.question.trim()),
          answer: scrubber.scrub(pair.answer.trim()),
          sourceType: 'document',
          sourceId: doc.documentId,
          sourceKey: `${baseKey}#${i + 1}`,
          sourceLabel: `${doc.title} > ${section.path.slice(1).join(' > ')}`,
          citations: citation ? [citation] : [],
          transcript: [],
          generator,
          quality: generator === 'rules' ? 0.5 : 0.7,
        }),
      );
    }
  }
  return candidates;
}

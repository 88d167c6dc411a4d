import fs from 'node:fs';
import path from 'node:path';
import MiniSearch from 'minisearch';
import { type AnswerRecord, answerTerms } from '../src/learn/answer-eval.ts';

interface CorpusFile {
  id: string;
  title: string;
  text: string;
}

/** A file's title: its first heading, else its first line that is not a `Source:` note. */
function titleOf(text: string): string {
  const lines = text.split('\n').map((l) => l.trim());
  const heading = lines.find((l) => l.startsWith('#'));
  if (heading) return heading.replace(/^#+\s*/, '');
  return lines.find((l) => l && !/^source:/i.test(l)) ?? '';
}

function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

/**
 * The naive extractive baseline the answer figures are compared with: BM25 (MiniSearch, default options,
 * whole files with title and text fields) picks the top file, and the answer is that file's two sentences
 * sharing the most content words with the question, in document order, citing the file. It never abstains.
 */
export function bm25TwoSentences(corpusDir: string): (query: string) => Promise<AnswerRecord> {
  const files: CorpusFile[] = fs
    .readdirSync(corpusDir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => {
      const text = fs.readFileSync(path.join(corpusDir, f), 'utf8');
      return { id: f, title: titleOf(text), text };
    });
  const byId = new Map(files.map((f) => [f.id, f]));
  const index = new MiniSearch<CorpusFile>({ fields: ['title', 'text'] });
  index.addAll(files);
  return async (query) => {
    const top = index.search(query)[0];
    if (!top) return { answer: '', citedFiles: [] };
    const file = byId.get(String(top.id))!;
    const wanted = new Set(answerTerms(query));
    const ranked = sentencesOf(file.text)
      .map((sentence, position) => ({
        sentence,
        position,
        shared: new Set(answerTerms(sentence).filter((t) => wanted.has(t))).size,
      }))
      .sort((a, b) => b.shared - a.shared || a.position - b.position)
      .slice(0, 2)
      .sort((a, b) => a.position - b.position);
    return { answer: ranked.map((r) => r.sentence).join(' '), citedFiles: [file.id] };
  };
}

/**
 * Writes `bench/suites/mtrag.jsonl`, an answer test suite derived from the MTRAG IBM Cloud tasks
 * (`npx tsx bench/mtrag-suite.ts [--set DIR]`). From each conversation: its first turn and its third turn when
 * answerable (the third with the earlier turns as `history`, so the suite exercises follow-ups), each expecting
 * an answer citing a passage of the reference's first relevant document and a token F1 of at least 0.2 against
 * the reference answer; and every UNANSWERABLE turn, expecting an abstention. Deterministic: the same tasks
 * file gives the same suite.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EvalCase } from '../src/contracts/eval.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = process.argv.indexOf('--set');
const set = path.resolve(at > 0 ? process.argv[at + 1]! : path.join(root, '../shared/data/mtrag-ibmcloud'));
const out = path.join(root, 'bench/suites/mtrag.jsonl');
const minF1 = 0.2;

interface Task {
  task_id: string;
  conversation: string;
  turn: number;
  question: string;
  history: { role: 'user' | 'agent'; text: string }[];
  reference_answer: string;
  qrels_passage_ids: string[];
  reference_passage_ids: string[];
  answerability: string[];
}

const tasks = fs
  .readFileSync(path.join(set, 'tasks.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Task);

/** `ibmcld_12498-8087-10171` → `ibmcld_12498-`: any passage of the same source page counts as citing it. */
const documentOf = (passageId: string) => passageId.replace(/-\d+-\d+$/, '-');

const history = (t: Task) =>
  t.history.map((h) => ({
    role: h.role === 'agent' ? ('assistant' as const) : ('user' as const),
    content: h.text,
  }));

const cases: EvalCase[] = [];
for (const t of tasks) {
  const kind = t.answerability[0];
  const passages = t.qrels_passage_ids.length ? t.qrels_passage_ids : t.reference_passage_ids;
  if (kind === 'ANSWERABLE' && (t.turn === 1 || t.turn === 3) && passages.length && t.reference_answer) {
    cases.push({
      id: `mtrag-${t.conversation}-${t.turn}`,
      question: t.question,
      ...(t.history.length ? { history: history(t) } : {}),
      expect: { cites: [documentOf(passages[0]!)], similar_to: t.reference_answer, min_f1: minF1 },
    });
  } else if (kind === 'UNANSWERABLE') {
    cases.push({
      id: `mtrag-${t.conversation}-${t.turn}-unanswerable`,
      question: t.question,
      ...(t.history.length ? { history: history(t) } : {}),
      expect: { abstains: true },
    });
  }
}
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, cases.map((c) => JSON.stringify(c)).join('\n') + '\n');
console.log(`${cases.length} cases → ${path.relative(root, out)}`);

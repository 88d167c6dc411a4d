/**
 * Builds the derived question files the answer benchmark reads (run `npx tsx bench/answer-data.ts`):
 *
 * - `data/mtrag-rewrite-answers.jsonl`, `data/mtrag-lastturn-answers.jsonl`: the MTRAG queries joined by task id
 *   with their reference answers from `tasks.jsonl` (the query files carry no `answer`);
 * - `data/mtrag-unanswerable.jsonl`: the MTRAG turns marked UNANSWERABLE (in the IBM Cloud domain: hard);
 * - `data/out-of-scope.jsonl`: questions IBM Cloud documentation does not cover: shop orders, refunds and
 *   shipping from Bitext, plus general questions written here. Even ids are the dev split, odd ids the test split.
 *
 * The data set itself stays in ../shared/data; only these small derived files are kept in the project.
 */
import fs from 'node:fs';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const shared = path.resolve(here, '../../shared/data');
const mtrag = path.join(shared, 'mtrag-ibmcloud');
const out = path.join(here, 'data');

interface Task {
  task_id: string;
  question: string;
  reference_answer: string;
  answerability: string[];
}

const readJsonl = <T>(file: string): T[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

const writeJsonl = (file: string, rows: object[]) =>
  fs.writeFileSync(path.join(out, file), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

const tasks = new Map(readJsonl<Task>(path.join(mtrag, 'tasks.jsonl')).map((t) => [t.task_id, t]));
for (const kind of ['rewrite', 'lastturn']) {
  const queries = readJsonl<{ id: string; query: string; relevant: string[] }>(
    path.join(mtrag, `queries-${kind}.jsonl`),
  );
  const joined = queries.map((q) => {
    const task = tasks.get(q.id);
    if (!task) throw new Error(`query ${q.id} has no task`);
    return { ...q, answer: task.reference_answer };
  });
  writeJsonl(`mtrag-${kind}-answers.jsonl`, joined);
}
writeJsonl(
  'mtrag-unanswerable.jsonl',
  [...tasks.values()]
    .filter((t) => t.answerability.includes('UNANSWERABLE'))
    .map((t) => ({ id: t.task_id, query: t.question.trim() })),
);

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

// Shop intents only: account, invoice and payment questions could be answered by cloud-account documentation,
// and asking for a person is a hand-off, not an abstention.
const shopIntents = [
  'cancel_order',
  'change_order',
  'place_order',
  'track_order',
  'delivery_period',
  'delivery_options',
  'get_refund',
  'track_refund',
  'check_refund_policy',
  'change_shipping_address',
  'set_up_shipping_address',
  'check_cancellation_fee',
];
const perIntent = 6;

const [header, ...records] = parseCsv(
  fs.readFileSync(
    path.join(shared, 'bitext-customer-support/Bitext_Sample_Customer_Support_Training_Dataset.csv'),
    'utf8',
  ),
);
const col = (name: string) => header!.indexOf(name);
const byIntent = new Map<string, string[]>();
for (const r of records) {
  const instruction = r[col('instruction')]?.trim();
  // Template placeholders ("{{Order Number}}") are not what a customer types.
  if (!instruction || instruction.includes('{{')) continue;
  const list = byIntent.get(r[col('intent')]!) ?? [];
  list.push(instruction);
  byIntent.set(r[col('intent')]!, list);
}
const shop: string[] = [];
for (const intent of shopIntents) {
  const list = byIntent.get(intent) ?? [];
  // Evenly spaced picks: deterministic, and not only the first phrasings the data set lists.
  const step = Math.max(1, Math.floor(list.length / perIntent));
  for (let i = 0; i < perIntent && i * step < list.length; i++) shop.push(list[i * step]!);
}

const general = [
  'How long should I boil an egg for a soft yolk?',
  'What is a good substitute for buttermilk in pancakes?',
  'How do I keep basil fresh in the fridge?',
  'Can I freeze cooked rice?',
  'What temperature should I roast a chicken at?',
  'Do I need a visa to visit Japan for two weeks?',
  'What is the best time of year to visit Iceland?',
  'How early should I get to the airport for an international flight?',
  'Can I bring a power bank in my checked luggage?',
  'Which train goes from Paris to Amsterdam?',
  'Who won the last football World Cup?',
  'How many players are on a basketball team on court?',
  'What are the rules of offside in soccer?',
  'How do I improve my marathon time?',
  'When does the Tour de France start this year?',
  'How do I reset my Samsung washing machine?',
  'Why is my iPhone battery draining so fast?',
  'How do I descale a Nespresso coffee machine?',
  'My car makes a squeaking noise when I brake, what should I do?',
  'How do I change the ink cartridge on an HP printer?',
  'What is the capital of Australia?',
  'How do I write a cover letter for a job application?',
  'What are the symptoms of the flu?',
  'How often should I water a cactus?',
  'Can you recommend a good mystery novel?',
  'How do I get red wine out of a carpet?',
  'What is the difference between a crocodile and an alligator?',
  'How do I tie a tie?',
  'Is it going to rain tomorrow in London?',
  'How do I file my tax return?',
  'How do I teach my dog to sit?',
  'What size bike frame do I need if I am 180 cm tall?',
];

// Interleave so both splits get shop and general questions.
const mixed: string[] = [];
for (let i = 0; i < Math.max(shop.length, general.length); i++) {
  if (i < shop.length) mixed.push(shop[i]!);
  if (i < general.length) mixed.push(general[i]!);
}
writeJsonl(
  'out-of-scope.jsonl',
  mixed.map((query, i) => ({ id: `oos-${String(i).padStart(3, '0')}`, query })),
);
console.log(`out-of-scope: ${mixed.length} (${shop.length} shop, ${general.length} general)`);

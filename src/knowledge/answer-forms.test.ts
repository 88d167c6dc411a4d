import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { testIngestSettings, writeTree } from '../../test/support/files.ts';
import { answerFormOf, formStems, passagesHoldingAnswer } from './answer-forms.ts';
import { LocalEmbedder } from './embed/index.ts';
import { ingestInputs } from './ingest.ts';
import { judgeRelevance, queryExpansions } from './relevance-gate.ts';
import { fitsAnswerForm } from './relevance.ts';
import { searchKnowledge } from './search.ts';

// "Phone" and "call" are everywhere in the guides; only the FAQ gives a number to call.
const docs = {
  'guides/calls.md': `# Calls on your earbuds

## Call quality

If others can't hear you during a call, clean the microphone openings and select the earbuds as the phone's
microphone in your call app. Calls use the hands-free profile, which sounds narrower than music.
`,
  'guides/pairing.md': `# Pairing with your phone

## Pairing

Open the case and hold the button for three seconds, then choose the earbuds in your phone's Bluetooth list.
Your phone remembers the earbuds, so they reconnect when you take them out of the case.
`,
  'guides/app.md': `# The companion app

## Installing the app

Install the companion app on your phone from the app store, then sign in. The app shows the battery level
of each earbud and of the case, and lets you change the touch controls.
`,
  'faq/general.md': `# Frequently asked questions

## How do I contact support?

Our team answers by chat, by email at help@kestrel.example or by phone on +1-800-555-0142, Monday to
Friday 8:00-20:00.

## Which sizes of ear tips come in the box?

Small, medium and large tips come in the box; medium are fitted.
`,
  'release-notes.md': `# Release notes

Version 2.4.1 was released on 2026-07-14 and improves call quality on your phone.
`,
};

describe('answer forms', () => {
  it('reads a question as asking for a phone number only when it asks for one', () => {
    expect(answerFormOf("What's your phone number?")?.stored).toBeDefined();
    expect(answerFormOf('Can I call you?')?.stored).toBeDefined();
    expect(answerFormOf("My phone won't pair with the earbuds")).toBeUndefined();
    expect(answerFormOf('Call quality is poor on my phone')).toBeUndefined();
    expect([...formStems('Can I call you?')]).toContain('call');
  });

  it('tells a phone number from a date or a version', () => {
    const passage = (text: string) => ({ title: '', heading: '', text });
    expect(fitsAnswerForm('what is your phone number?', passage('Call +1-800-555-0142 today.'))).toBe(true);
    expect(fitsAnswerForm('what is your phone number?', passage('Released on 2026-07-14 as 2.4.1.'))).toBe(
      false,
    );
  });
});

describe.each(backends)('passages holding the answer asked for, on %s', (backend) => {
  let database: TestDatabase;
  const embedder = new LocalEmbedder();
  const deps = () => ({ db: database.db, embedder });
  // Few retrieved passages, as in a knowledge base where "phone" fills the first pages of results.
  const judge = async (question: string, withAnswers: boolean) => {
    const expansions = await queryExpansions(database.db, question);
    const hits = await searchKnowledge(deps(), question, { limit: 2, expansions });
    const holding = withAnswers ? await passagesHoldingAnswer(database.db, question, hits) : [];
    return judgeRelevance(deps(), question, [...hits, ...holding], 0.5);
  };
  const lead = (j: Awaited<ReturnType<typeof judge>>) =>
    j.passages[0] ? path.basename(j.passages[0].hit.source) : undefined;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    await ingestInputs(deps(), [writeTree(docs)], testIngestSettings);
  });
  afterAll(() => database?.destroy());

  it('finds the passage with a phone number for a question asking for one, and none for other questions', async () => {
    const found = await passagesHoldingAnswer(database.db, "What's your phone number?", []);
    expect(found.map((h) => path.basename(h.source))).toEqual(['general.md']);
    expect(found[0]!.text).toContain('+1-800-555-0142');
    expect(await passagesHoldingAnswer(database.db, "My phone won't pair", [])).toEqual([]);
    // What the search already found is not returned twice.
    expect(await passagesHoldingAnswer(database.db, "What's your phone number?", found)).toEqual([]);
  });

  it('answers "can I call you?" from the passage with a number to call, not from call quality', async () => {
    expect(lead(await judge('Can I call you?', false))).toBe('calls.md');
    expect(lead(await judge('Can I call you?', true))).toBe('general.md');
    const phone = await judge("What's your phone number?", true);
    expect(phone.declined).toBeUndefined();
    expect(lead(phone)).toBe('general.md');
  });

  it('finds an email address for a question asking for one', async () => {
    const found = await passagesHoldingAnswer(database.db, 'What is your email address?', []);
    expect(found.map((h) => path.basename(h.source))).toEqual(['general.md']);
  });
});

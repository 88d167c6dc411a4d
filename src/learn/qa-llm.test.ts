import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { type ChatRequestBody, type FakeOpenAI, startFakeOpenAI } from '../../test/support/fake-openai.ts';
import { testIngestSettings, writeTree } from '../../test/support/files.ts';
import { createChatModel } from '../agent/models/index.ts';
import { loadConfig } from '../config.ts';
import { conversations, qaPairs } from '../db/schema/index.ts';
import { LocalEmbedder } from '../knowledge/embed/index.ts';
import { ingestInputs } from '../knowledge/ingest.ts';
import { appendMessage, startConversation } from '../support/conversations.ts';
import { newVisitorId } from '../support/identity.ts';
import { generateQaPairs } from './qa-generate.ts';

const promptOf = (body: ChatRequestBody) => JSON.stringify(body.messages);

describe.each(backends)('Q&A generation with a model on %s (fake OpenAI API)', (backend) => {
  let fake: FakeOpenAI;
  let database: TestDatabase;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    database = await createTestDatabase(backend);
    const docs = writeTree({
      'guides/hub.md':
        '# Hub guide\n\n## The reset button\n\nHold the reset button for 10 seconds until the ring flashes ' +
        'amber; the hub restarts with factory settings and must be set up again.\n',
    });
    await ingestInputs({ db: database.db, embedder: new LocalEmbedder() }, [docs], testIngestSettings);
    const c = await startConversation(database.db, { kind: 'visitor', visitorId: newVisitorId() }, 'web');
    await appendMessage(database.db, { conversationId: c.id, role: 'user', content: 'My hub ring is red.' });
    await appendMessage(database.db, {
      conversationId: c.id,
      role: 'assistant',
      content: 'It has no Wi-Fi.',
    });
    await appendMessage(database.db, { conversationId: c.id, role: 'user', content: 'How do I fix that?' });
    await appendMessage(database.db, {
      conversationId: c.id,
      role: 'assistant',
      content: 'Restart your router.',
    });
    await database.db.update(conversations).set({ status: 'resolved' }).where(eq(conversations.id, c.id));
  });
  afterAll(async () => {
    await database?.destroy();
    await fake?.close();
  });

  it('lets the model write document questions and make follow-ups stand-alone; falls back to rules on junk', async () => {
    fake.scriptChat([
      // The follow-up, rewritten.
      (body) => {
        expect(promptOf(body)).toMatch(
          /Customer: My hub ring is red\.[\s\S]*Last question: How do I fix that\?/,
        );
        return { text: 'How do I fix a red ring on my hub?' };
      },
      // The document section, turned into questions a customer would ask.
      (body) => {
        expect(promptOf(body)).toMatch(/Section: Hub guide > The reset button/);
        return {
          text: JSON.stringify({
            pairs: [
              { question: 'How do I factory reset my hub?', answer: 'Hold the reset button for 10 seconds.' },
              {
                question: 'What happens when I reset the hub?',
                answer: 'It restarts with factory settings.',
              },
            ],
          }),
        };
      },
    ]);
    const config = loadConfig({}, { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL });
    const chat = createChatModel(config);
    const report = await generateQaPairs({ db: database.db, model: { model: chat.model, id: chat.id } });
    expect(report.bySource).toEqual({ conversation: 1, solution: 0, document: 2 });
    const rows = await database.db.select().from(qaPairs);
    expect(rows.map((r) => [r.question, r.generator]).sort()).toEqual([
      ['How do I factory reset my hub?', 'llm:openai:gpt-4.1-mini'],
      ['How do I fix a red ring on my hub?', 'conversation+standalone'],
      ['What happens when I reset the hub?', 'llm:openai:gpt-4.1-mini'],
    ]);
    expect(rows.find((r) => r.sourceType === 'document')!.citations[0]).toMatchObject({
      heading: 'The reset button',
    });

    // A new document version whose section the model answers with junk gets a question from its heading.
    await database.db.delete(qaPairs).where(eq(qaPairs.sourceType, 'document'));
    fake.scriptChat([{ text: 'Sorry, I cannot help with that.' }]);
    const again = await generateQaPairs({ db: database.db, model: { model: chat.model, id: chat.id } }, [
      'docs',
    ]);
    expect(again.created).toBe(1);
    const [ruled] = await database.db.select().from(qaPairs).where(eq(qaPairs.sourceType, 'document'));
    expect(ruled).toMatchObject({
      generator: 'rules',
      question: 'What should I know about the reset button?',
    });
  });
});

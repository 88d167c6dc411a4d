// The worker thread of `prepare-pool.ts`: prepares one document per message, off the server's event loop.
import { parentPort } from 'node:worker_threads';
import { ExtractionError, type RawDocument } from './extract/index.ts';
import { packedBuffers } from './packed-chunks.ts';
import { prepareDocument, type PrepareOptions, type PreparedDocument } from './prepare.ts';

/** A document to prepare, as the pool posts it. */
export interface PrepareTask {
  id: number;
  raw: RawDocument;
  options: PrepareOptions;
}

/** The answer to a task: the prepared document, or what went wrong (an `ExtractionError`'s code, if it was one). */
export type PrepareReply =
  | { id: number; ok: true; prepared: PreparedDocument }
  | { id: number; ok: false; code: string | undefined; message: string };

const port = parentPort;
if (port) {
  port.on('message', (task: PrepareTask) => {
    prepareDocument(task.raw, task.options).then(
      // Texts and vectors are handed over, not copied: receiving them costs the main thread nothing, and they stay
      // outside its JavaScript heap until a statement needs them.
      (prepared) =>
        port.postMessage({ id: task.id, ok: true, prepared } satisfies PrepareReply, [
          ...packedBuffers(prepared.text, prepared.chunks),
          ...(prepared.embeddings ? [prepared.embeddings.buffer as ArrayBuffer] : []),
        ]),
      (error: unknown) =>
        port.postMessage({
          id: task.id,
          ok: false,
          code: error instanceof ExtractionError ? error.code : undefined,
          message: error instanceof Error ? error.message : String(error),
        } satisfies PrepareReply),
    );
  });
}

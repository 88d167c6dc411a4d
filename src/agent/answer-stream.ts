import { type AsyncIterableStream, type TextStreamPart, type ToolSet } from 'ai';

type Part = TextStreamPart<ToolSet>;

/** A web stream that `for await` can read, as `Turn.stream` promises. */
function iterable<T>(stream: ReadableStream<T>): AsyncIterableStream<T> {
  const s = stream as AsyncIterableStream<T>;
  if (typeof s[Symbol.asyncIterator] !== 'function') {
    Object.assign(s, {
      async *[Symbol.asyncIterator]() {
        const reader = stream.getReader();
        try {
          for (let r = await reader.read(); !r.done; r = await reader.read()) yield r.value;
        } finally {
          reader.releaseLock();
        }
      },
    });
  }
  return s;
}

function textParts(id: string, text: string): Part[] {
  return [
    { type: 'text-start', id },
    { type: 'text-delta', id, text },
    { type: 'text-end', id },
  ];
}

/**
 * A stream carrying only `text`, shaped like a model's answer (start, one text part), so the chat routes can
 * send it exactly as they send an answer.
 */
export function noticeStream(text: string): AsyncIterableStream<Part> {
  const parts: Part[] = [{ type: 'start' }, ...textParts('notice', text)];
  return iterable(
    new ReadableStream<Part>({
      start(controller) {
        for (const part of parts) controller.enqueue(part);
        controller.close();
      },
    }),
  );
}

/**
 * The model's stream with `prefix` written before its first text (a safety instruction must come first, whatever
 * the model says) and `suffix` after its last, as extra text of the same answer. Consumers need no change.
 */
export function framedAnswer(
  stream: ReadableStream<Part>,
  framing: { prefix: string; suffix: string },
): AsyncIterableStream<Part> {
  if (!framing.prefix && !framing.suffix) return iterable(stream);
  let prefixed = !framing.prefix;
  let wroteText = false;
  const frame = new TransformStream<Part, Part>({
    transform(part, controller) {
      if (part.type === 'finish') {
        if (!prefixed)
          for (const p of textParts('handoff-prefix', framing.prefix.trimEnd())) controller.enqueue(p);
        if (framing.suffix) {
          const text = wroteText || !prefixed ? `\n\n${framing.suffix}` : framing.suffix;
          for (const p of textParts('handoff-suffix', text)) controller.enqueue(p);
        }
        prefixed = true;
        controller.enqueue(part);
        return;
      }
      controller.enqueue(part);
      if (part.type === 'text-start' && !prefixed) {
        controller.enqueue({ type: 'text-delta', id: part.id, text: framing.prefix });
        prefixed = true;
      }
      if (part.type === 'text-delta' && part.text) wroteText = true;
    },
  });
  return iterable(stream.pipeThrough(frame));
}

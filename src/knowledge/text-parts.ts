// A version's text is stored in parts (`document_version_texts`): an embedded database compresses and writes a
// value on the server's thread, about 2 s for a 12 MB text under load, while a part of this size takes
// milliseconds and the event loop runs between parts. Cut in the preparation thread, so it imports no database.
const partChars = 65_536;

/** `text` cut into consecutive parts of at most `size` UTF-16 units, never between a surrogate pair's halves. */
export function textParts(text: string, size = partChars): string[] {
  const parts: string[] = [];
  for (let start = 0; start < text.length;) {
    let end = Math.min(start + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && end - start > 1 && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}

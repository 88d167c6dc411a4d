import { parseDocument } from 'yaml';

const frontMatterRe = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * Splits YAML front matter off a Markdown file. Values become strings (lists joined with ", "; nested maps
 * and nulls dropped) under lowercased keys. Front matter that is not valid YAML, as hand-written files often
 * are ("title: Pairing: the easy way"), is read line by line as `key: value`.
 */
export function splitFrontMatter(source: string): { metadata: Record<string, string>; body: string } {
  const fm = frontMatterRe.exec(source);
  if (!fm) return { metadata: {}, body: source };
  const body = source.slice(fm[0].length);
  return { metadata: readYaml(fm[1]!) ?? readLines(fm[1]!), body };
}

function readYaml(text: string): Record<string, string> | undefined {
  const doc = parseDocument(text, { logLevel: 'silent' });
  if (doc.errors.length > 0) return undefined;
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch {
    // Alias bombs and the like: fall back to plain lines.
    return undefined;
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const metadata: Record<string, string> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const text = scalarText(v) ?? (Array.isArray(v) ? listText(v) : undefined);
    if (text !== undefined) metadata[key.toLowerCase()] = text;
  }
  return metadata;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return undefined;
}

function listText(values: unknown[]): string | undefined {
  const items = values.map(scalarText).filter((v): v is string => v !== undefined);
  return items.length > 0 ? items.join(', ') : undefined;
}

function readLines(text: string): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/.exec(line);
    // Only a quote pair around the whole value is syntax; a quote ending the value is part of it.
    if (m) metadata[m[1]!.toLowerCase()] = m[2]!.trim().replace(/^(["'])(.*)\1$/, '$2');
  }
  return metadata;
}

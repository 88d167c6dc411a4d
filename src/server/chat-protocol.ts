import type { Citation } from '../db/schema/index.ts';
import { isUrl } from '../knowledge/sources.ts';

export type { ChatMetadata, ParleyUIMessage } from './chat-types.ts';

/** Where a citation links: the page it came from, or Parley's view of an ingested file's passage. */
export function citationUrl(citation: Pick<Citation, 'source' | 'chunkId'>): string {
  return isUrl(citation.source) ? citation.source : `/sources/${citation.chunkId}`;
}

/** A short label for a citation: the document's title and the section, else the file name. */
export function citationTitle(citation: Pick<Citation, 'source' | 'heading' | 'title'>): string {
  const title = citation.title || citation.source.split(/[\\/]/).pop() || citation.source;
  // Heading paths usually start with the document's own title.
  const section = citation.heading.startsWith(title)
    ? citation.heading.slice(title.length).replace(/^\s*>\s*/, '')
    : citation.heading;
  return section ? `${title} › ${section}` : title;
}

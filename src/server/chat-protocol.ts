import type { Citation } from '../db/schema/index.ts';
import { isUrl } from '../knowledge/sources.ts';

export type { ChatMetadata, ParleyUIMessage } from './chat-types.ts';

/** Where a citation links: the page it came from, or Parley's view of an ingested file's passage. */
export function citationUrl(citation: Pick<Citation, 'source' | 'chunkId'>): string {
  return isUrl(citation.source) ? citation.source : `/sources/${citation.chunkId}`;
}

/** A short label for a citation: its heading path, else the file name. */
export function citationTitle(citation: Pick<Citation, 'source' | 'heading'>): string {
  return citation.heading || citation.source.split(/[\\/]/).pop() || citation.source;
}

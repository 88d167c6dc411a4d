import type { CitationView } from '../contracts/chat.ts';
import type { Citation } from '../db/schema/index.ts';

// How a cited passage is shown to customers and staff: where it links and how it is labelled.

/** Where a citation links: the web page it came from, or Parley's page for a passage of an ingested file. */
export function citationUrl(citation: Pick<Citation, 'source' | 'chunkId'>): string {
  return /^https?:\/\//i.test(citation.source) ? citation.source : `/sources/${citation.chunkId}`;
}

/**
 * Where a cited document came from, as shown outside the server: a web page's URL, or for an ingested file
 * Parley's page of the passage. Never a local path, which would tell callers how the server's disk is laid out.
 */
export function citationSource(citation: Pick<Citation, 'source' | 'chunkId'>): string {
  return citationUrl(citation);
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

/** A stored citation as the API shows it: linked and labelled. */
export function citationView(citation: Citation): CitationView {
  return {
    source: citationSource(citation),
    url: citationUrl(citation),
    title: citationTitle(citation),
    documentId: citation.documentId,
    versionId: citation.versionId,
    chunkId: citation.chunkId,
  };
}

import { type FormEvent, useState } from 'react';
import { adminApi } from '../api.ts';
import { Empty, ErrorNote } from '../components/status.tsx';
import { href, Link } from '../router.tsx';
import type { RetrievalPreview, SearchHit } from '../../../../src/contracts/documents.ts';
import { useAction } from '../use-api.ts';

const excerptLength = 360;

function Hit({ hit, rank }: { hit: SearchHit; rank: number }) {
  const [full, setFull] = useState(false);
  const long = hit.text.length > excerptLength;
  const text = full || !long ? hit.text : `${hit.text.slice(0, excerptLength).trimEnd()}…`;
  return (
    <li className="hit" data-testid="retrieve-hit">
      <div className="hit-head">
        <span className="hit-rank">{rank}</span>
        <Link to={href('knowledge', hit.documentId)} className="hit-title">
          {hit.title || hit.source}
        </Link>
        <span className="hit-score" title="Fused relevance score">
          {hit.score.toFixed(3)}
        </span>
      </div>
      {hit.heading && <div className="hit-heading">{hit.heading}</div>}
      <p className="hit-text">{text}</p>
      {long && (
        <button type="button" className="link-button" onClick={() => setFull(!full)}>
          {full ? 'Show less' : 'Show the whole passage'}
        </button>
      )}
    </li>
  );
}

/** "What would the agent retrieve?": runs the agent's own search and shows the ranked passages. */
export function RetrievePanel() {
  const [question, setQuestion] = useState('');
  const [product, setProduct] = useState('');
  const [kind, setKind] = useState('');
  const [answer, setAnswer] = useState<RetrievalPreview>();
  const search = useAction((text: string) =>
    adminApi.documents.search(text, { product: product.trim(), kind: kind.trim() }),
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const response = await search.run(question.trim());
    if (response) setAnswer(response);
  };

  return (
    <section className="card">
      <h2>What would the agent retrieve?</h2>
      <form className="inline-form" onSubmit={submit}>
        <input
          className="input"
          placeholder="A customer's question"
          value={question}
          onChange={(event) => setQuestion(event.target.value)}
          aria-label="Question"
          data-testid="retrieve-query"
        />
        <input
          className="input input-narrow"
          placeholder="Product SKU (optional)"
          value={product}
          onChange={(event) => setProduct(event.target.value)}
          aria-label="Only documents about this product SKU"
          data-testid="retrieve-product"
        />
        <input
          className="input input-narrow"
          placeholder="Type, e.g. guide (optional)"
          value={kind}
          onChange={(event) => setKind(event.target.value)}
          aria-label="Only documents of this type"
          data-testid="retrieve-kind"
        />
        <button
          type="submit"
          className="button button-primary"
          disabled={!question.trim() || search.busy}
          data-testid="retrieve-submit"
        >
          {search.busy ? 'Searching…' : 'Search'}
        </button>
      </form>
      <ErrorNote error={search.error} />
      {!answer && !search.error && (
        <p className="muted">
          The passages the agent would be given for this question, best first, from the same hybrid search it
          uses.
        </p>
      )}
      {answer && (
        <>
          <p className="muted" data-testid="retrieve-summary">
            {answer.hits.length} passage{answer.hits.length === 1 ? '' : 's'} in {answer.ms} ms
          </p>
          {answer.hits.length === 0 ? (
            <Empty title="Nothing relevant found.">
              The agent would say it does not know, or ask a human.
            </Empty>
          ) : (
            <ol className="hits">
              {answer.hits.map((hit, i) => (
                <Hit key={hit.chunkId} hit={hit} rank={i + 1} />
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}

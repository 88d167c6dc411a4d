import { useState } from 'react';
import { adminApi } from '../api.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { formatDateTime, formatInteger, shortSource } from '../components/format.ts';
import { Empty, ErrorNote, Loading, StatusBadge } from '../components/status.tsx';
import { href, Link } from '../router.tsx';
import type { DocumentView } from '../../../../src/contracts/documents.ts';
import { useAction, useLoad } from '../use-api.ts';
import { RetrievePanel } from './knowledge-retrieve.tsx';
import { UploadPanel } from './knowledge-upload.tsx';

function matches(doc: DocumentView, filter: string): boolean {
  const needle = filter.toLowerCase();
  return [doc.title, doc.source, doc.product ?? '', doc.kind ?? '', doc.format].some((v) =>
    v.toLowerCase().includes(needle),
  );
}

function DocumentsTable({ documents, showStatus }: { documents: DocumentView[]; showStatus: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="documents-table">
        <thead>
          <tr>
            <th>Title</th>
            <th>Source</th>
            <th>Type</th>
            <th>Product</th>
            {showStatus && <th>Status</th>}
            <th className="num">Version</th>
            <th className="num">Versions</th>
            <th className="num">Chunks</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {documents.map((doc) => (
            <tr
              key={doc.id}
              data-testid="document-row"
              className={doc.status === 'retired' ? 'row-dim' : undefined}
            >
              <td className="cell-title">
                <Link to={href('knowledge', doc.id)}>{doc.title || doc.source}</Link>
              </td>
              <td className="cell-source" title={doc.source}>
                {shortSource(doc.source)}
              </td>
              <td>
                {doc.format}
                {doc.kind && <div className="muted">{doc.kind}</div>}
              </td>
              <td>{doc.product ?? <span className="muted">—</span>}</td>
              {showStatus && (
                <td>
                  <StatusBadge status={doc.status} />
                </td>
              )}
              <td className="num">{doc.currentVersion ? `v${doc.currentVersion}` : '—'}</td>
              <td className="num">{doc.versions}</td>
              <td className="num">{formatInteger(doc.chunks)}</td>
              <td className="nowrap">{formatDateTime(doc.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ReindexButton() {
  const reindex = useAction(() => adminApi.documents.reindex());
  const [done, setDone] = useState<string>();
  return (
    <div className="header-action">
      <ConfirmButton
        label="Re-index"
        tone="neutral"
        question="Re-embed every chunk with the active embedder?"
        confirmLabel="Re-index now"
        busy={reindex.busy}
        testId="reindex"
        onConfirm={async () => {
          setDone(undefined);
          const result = await reindex.run();
          if (result) {
            const from = result.from && result.from !== result.to ? ` from ${result.from}` : '';
            setDone(`Re-embedded ${formatInteger(result.chunks)} chunks${from} with ${result.to}.`);
          }
        }}
      />
      {reindex.busy && <Loading what="Re-indexing" />}
      {done && (
        <p className="status status-ok" data-testid="reindex-result">
          {done}
        </p>
      )}
      <ErrorNote error={reindex.error} />
    </div>
  );
}

export function KnowledgePage() {
  const [showRetired, setShowRetired] = useState(false);
  const [filter, setFilter] = useState('');
  const docs = useLoad(() => adminApi.documents.list(showRetired), [showRetired]);
  const shown = docs.data?.documents.filter((d) => matches(d, filter)) ?? [];

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Knowledge</h1>
          <p className="muted">
            The documents the agent answers from, and what it would retrieve for a question.
          </p>
        </div>
        <ReindexButton />
      </header>

      <div className="grid-2">
        <UploadPanel onUploaded={docs.reload} />
        <RetrievePanel />
      </div>

      <section className="card">
        <div className="card-header">
          <h2>Documents {docs.data && <span className="count">{docs.data.documents.length}</span>}</h2>
          <div className="toolbar">
            <input
              type="search"
              className="input search-field"
              placeholder="Filter by title, source, product"
              value={filter}
              onChange={(event) => setFilter(event.target.value)}
              aria-label="Filter documents"
            />
            <label className="check">
              <input
                type="checkbox"
                checked={showRetired}
                onChange={(event) => setShowRetired(event.target.checked)}
                data-testid="show-retired"
              />
              Show retired
            </label>
          </div>
        </div>
        <ErrorNote error={docs.error} onRetry={docs.reload} />
        {docs.loading && !docs.data ? (
          <Loading what="Loading documents" />
        ) : docs.data && docs.data.documents.length === 0 ? (
          <Empty title="No documents yet.">
            Upload Markdown, HTML, PDF or text files above, or run <code>parley ingest</code>.
          </Empty>
        ) : docs.data && shown.length === 0 ? (
          <Empty title="No document matches the filter." />
        ) : (
          docs.data && <DocumentsTable documents={shown} showStatus={showRetired} />
        )}
      </section>
    </>
  );
}

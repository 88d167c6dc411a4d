import { type FormEvent, useEffect, useState } from 'react';
import { adminApi } from '../api.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { DiffView } from '../components/diff-view.tsx';
import { formatDateTime } from '../components/format.ts';
import { Badge, Empty, ErrorNote, Loading, StatusBadge } from '../components/status.tsx';
import { href, Link } from '../router.tsx';
import type { VersionView } from '../../../../src/contracts/documents.ts';
import { useAction, useLoad } from '../use-api.ts';

function VersionsTable({
  versions,
  busy,
  onRollback,
}: {
  versions: VersionView[];
  busy: boolean;
  onRollback: (version: number) => void;
}) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="versions-table">
        <thead>
          <tr>
            <th>Version</th>
            <th>Title</th>
            <th className="num">Chunks</th>
            <th>Embedding model</th>
            <th>Created</th>
            <th>Indexed</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id} data-testid="version-row">
              <td className="nowrap">
                v{v.version} {v.current && <Badge tone="good">current</Badge>}
              </td>
              <td>{v.title}</td>
              <td className="num">{v.chunkCount}</td>
              <td className="mono">{v.embeddingModel}</td>
              <td className="nowrap">{formatDateTime(v.createdAt)}</td>
              <td className="nowrap">{formatDateTime(v.indexedAt)}</td>
              <td className="actions">
                {!v.current && (
                  <ConfirmButton
                    label="Roll back to this"
                    question={`Make v${v.version} current?`}
                    confirmLabel="Roll back"
                    busy={busy}
                    testId="rollback"
                    onConfirm={() => onRollback(v.version)}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DiffPanel({ documentId, versions }: { documentId: string; versions: VersionView[] }) {
  const numbers = versions.map((v) => v.version).sort((a, b) => a - b);
  const newest = numbers[numbers.length - 1] ?? 1;
  const [from, setFrom] = useState(numbers[numbers.length - 2] ?? newest);
  const [to, setTo] = useState(newest);
  const [diff, setDiff] = useState<string>();
  const load = useAction((a: number, b: number) => adminApi.documents.diff(documentId, a, b));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const response = await load.run(from, to);
    if (response) setDiff(response.diff);
  };

  const picker = (label: string, value: number, set: (n: number) => void, testId: string) => (
    <label className="field-inline">
      {label}
      <select
        className="input"
        value={value}
        onChange={(event) => set(Number(event.target.value))}
        data-testid={testId}
      >
        {numbers.map((n) => (
          <option key={n} value={n}>
            v{n}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section className="card">
      <h2>Compare versions</h2>
      {numbers.length < 2 ? (
        <p className="muted">There is only one version, so nothing to compare yet.</p>
      ) : (
        <form className="inline-form" onSubmit={submit}>
          {picker('From', from, setFrom, 'diff-from')}
          {picker('to', to, setTo, 'diff-to')}
          <button type="submit" className="button" disabled={load.busy} data-testid="diff-submit">
            {load.busy ? 'Comparing…' : 'Show diff'}
          </button>
        </form>
      )}
      <ErrorNote error={load.error} />
      {diff !== undefined && <DiffView diff={diff} />}
    </section>
  );
}

/** One document: its versions, a diff between two of them, rollback and retirement. */
export function DocumentPage({ documentId }: { documentId: string }) {
  const loaded = useLoad(() => adminApi.documents.versions(documentId), [documentId]);
  const rollback = useAction((version: number) => adminApi.documents.rollback(documentId, version));
  const retire = useAction(() => adminApi.documents.retire(documentId));
  const [notice, setNotice] = useState<string>();

  useEffect(() => setNotice(undefined), [documentId]);

  if (loaded.loading && !loaded.data) return <Loading what="Loading the document" />;
  if (!loaded.data) {
    return (
      <>
        <Link to={href('knowledge')} className="back">
          ← Knowledge
        </Link>
        <ErrorNote error={loaded.error} onRetry={loaded.reload} />
      </>
    );
  }
  const { document, versions } = loaded.data;

  return (
    <>
      <Link to={href('knowledge')} className="back">
        ← Knowledge
      </Link>
      <header className="page-header">
        <div>
          <h1>{document.title || document.source}</h1>
          <p className="muted mono">{document.source}</p>
        </div>
        <div className="header-action">
          <StatusBadge status={document.status} />
          {document.status !== 'retired' && (
            <ConfirmButton
              label="Retire"
              question="Remove it from search? Its versions are kept."
              confirmLabel="Retire document"
              busy={retire.busy}
              testId="retire"
              onConfirm={async () => {
                if (await retire.run()) {
                  setNotice('Retired: the agent no longer finds this document.');
                  loaded.reload();
                }
              }}
            />
          )}
        </div>
      </header>
      {notice && (
        <p className="status status-ok" data-testid="document-notice">
          {notice}
        </p>
      )}
      <ErrorNote error={retire.error ?? rollback.error} />
      <ErrorNote error={loaded.error} onRetry={loaded.reload} />

      <section className="card">
        <h2>Versions</h2>
        {versions.length === 0 ? (
          <Empty title="No versions stored." />
        ) : (
          <VersionsTable
            versions={versions}
            busy={rollback.busy}
            onRollback={async (version) => {
              const restored = await rollback.run(version);
              if (restored) {
                setNotice(`v${restored.version} is current again.`);
                loaded.reload();
              }
            }}
          />
        )}
      </section>
      <DiffPanel key={versions.length} documentId={documentId} versions={versions} />
    </>
  );
}

import { type DragEvent, type FormEvent, useRef, useState } from 'react';
import { adminApi } from '../api.ts';
import { ErrorNote } from '../components/status.tsx';
import { StatusBadge } from '../components/status.tsx';
import { href, Link } from '../router.tsx';
import type { IngestResultView } from '../../../../src/contracts/documents.ts';
import { useAction } from '../use-api.ts';

function ResultRow({ result }: { result: IngestResultView }) {
  return (
    <li className="upload-result" data-testid="upload-result" data-status={result.status}>
      <StatusBadge status={result.status} />
      <span className="upload-source">
        {result.documentId ? (
          <Link to={href('knowledge', result.documentId)}>{result.source}</Link>
        ) : (
          result.source
        )}
      </span>
      <span className="muted">
        {result.version !== undefined && `v${result.version}`}
        {result.chunks !== undefined && ` · ${result.chunks} chunks`}
      </span>
      {result.error && (
        <span className="upload-error">
          {result.error.message} <span className="muted">({result.error.code})</span>
        </span>
      )}
    </li>
  );
}

/** Upload several files at once; each file's outcome is listed as the server reports it. */
export function UploadPanel({ onUploaded }: { onUploaded: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [results, setResults] = useState<IngestResultView[]>();
  const [dragging, setDragging] = useState(false);
  const upload = useAction((chosen: File[]) => adminApi.documents.upload(chosen));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const response = await upload.run(files);
    if (!response) return;
    setResults(response.results);
    setFiles([]);
    if (input.current) input.current.value = '';
    onUploaded();
  };

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    setFiles(Array.from(event.dataTransfer.files));
  };

  return (
    <section className="card">
      <h2>Upload documents</h2>
      <form onSubmit={submit}>
        <label
          className={dragging ? 'dropzone dragging' : 'dropzone'}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={drop}
        >
          <input
            ref={input}
            type="file"
            multiple
            className="visually-hidden-file"
            onChange={(event) => setFiles(Array.from(event.target.files ?? []))}
            data-testid="upload-input"
          />
          {files.length === 0 ? (
            <span>
              <strong>Choose files</strong> or drop them here
              <span className="muted"> (Markdown, HTML, PDF, text; up to 20)</span>
            </span>
          ) : (
            <span>
              <strong>{files.length === 1 ? files[0]!.name : `${files.length} files`}</strong>
              <span className="muted"> ready: {files.map((f) => f.name).join(', ')}</span>
            </span>
          )}
        </label>
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={files.length === 0 || upload.busy}
            data-testid="upload-submit"
          >
            {upload.busy ? 'Indexing…' : 'Upload and index'}
          </button>
        </div>
      </form>
      <ErrorNote error={upload.error} />
      {results && (
        <ul className="upload-results" aria-label="Upload results">
          {results.map((result, i) => (
            <ResultRow key={`${result.source}-${i}`} result={result} />
          ))}
        </ul>
      )}
    </section>
  );
}

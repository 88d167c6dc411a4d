import { type FormEvent, useState } from 'react';
import { request } from '../api.ts';
import { ErrorNote, Loading } from '../components/status.tsx';
import type { SaveSynonyms, Synonyms } from '../../../../src/contracts/synonyms.ts';
import { useAction, useLoad } from '../use-api.ts';

/** One group a line, wordings separated by commas: the form staff edit. */
const textOf = (groups: string[][]) => groups.map((g) => g.join(', ')).join('\n');
const groupsOf = (text: string) =>
  text
    .split('\n')
    .map((line) =>
      line
        .split(',')
        .map((w) => w.trim())
        .filter(Boolean),
    )
    .filter((g) => g.length >= 2);

function SynonymsForm({ synonyms }: { synonyms: Synonyms }) {
  const [text, setText] = useState(() => textOf(synonyms.groups));
  const [savedAt, setSavedAt] = useState(synonyms.updatedAt);
  const save = useAction((body: SaveSynonyms) => request<Synonyms>('PUT', '/api/admin/synonyms', body));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const next = await save.run({ groups: groupsOf(text) });
    if (next) {
      setText(textOf(next.groups));
      setSavedAt(next.updatedAt);
    }
  };

  return (
    <form className="card form" onSubmit={submit} data-testid="synonyms-form">
      <h2>Synonyms</h2>
      <p className="muted">
        Words your customers use for what your documents call something else. One group a line, wordings
        separated by commas, e.g. <span className="mono">plus plan, premium, paid plan</span>. Knowledge
        search treats a group's wordings as the same words. Common support wordings (refund and money back,
        warranty and guarantee, ...) are built in.
      </p>
      <label className="field">
        <span>Groups</span>
        <textarea
          className="input mono"
          rows={14}
          value={text}
          onChange={(event) => setText(event.target.value)}
          data-testid="synonyms-text"
        />
      </label>
      <ErrorNote error={save.error} />
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={save.busy}
          data-testid="synonyms-save"
        >
          {save.busy ? 'Saving…' : 'Save synonyms'}
        </button>
        {savedAt && <small className="muted">Last saved {new Date(savedAt).toLocaleString()}.</small>}
      </div>
    </form>
  );
}

/** Staff-edited synonyms for knowledge search. */
export function SynonymsPage() {
  const loaded = useLoad(() => request<Synonyms>('GET', '/api/admin/synonyms'), []);
  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  return <SynonymsForm synonyms={loaded.data} />;
}

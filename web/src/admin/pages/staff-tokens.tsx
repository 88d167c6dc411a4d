import { type FormEvent, useState } from 'react';
import { adminApi } from '../api.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { formatDateTime } from '../components/format.ts';
import { Badge, Empty, ErrorNote, Loading } from '../components/status.tsx';
import type { StaffTokenView } from '../../../../src/contracts/staff-tokens.ts';
import { useAction, useLoad } from '../use-api.ts';

function NewToken({ token, name, onDone }: { token: string; name: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="callout callout-good" data-testid="new-token">
      <p>
        <strong>Token for {name}.</strong> Copy it now: it is shown only once.
      </p>
      <div className="inline-form">
        <input
          className="input mono"
          readOnly
          value={token}
          onFocus={(e) => e.target.select()}
          data-testid="new-token-value"
        />
        <button
          type="button"
          className="button"
          onClick={async () => {
            await navigator.clipboard?.writeText(token).catch(() => undefined);
            setCopied(true);
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="button button-quiet" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

function TokenRow({ token, onRevoked }: { token: StaffTokenView; onRevoked: () => void }) {
  const revoke = useAction(() => adminApi.tokens.revoke(token.id));
  return (
    <tr data-testid="token-row" className={token.revokedAt ? 'row-dim' : undefined}>
      <td>{token.name}</td>
      <td className="mono">{token.prefix}…</td>
      <td className="nowrap">{formatDateTime(token.createdAt)}</td>
      <td className="nowrap">
        {token.lastUsedAt ? formatDateTime(token.lastUsedAt) : <span className="muted">never</span>}
      </td>
      <td className="actions">
        {token.revokedAt ? (
          <Badge tone="neutral">revoked {formatDateTime(token.revokedAt)}</Badge>
        ) : (
          <ConfirmButton
            label="Revoke"
            question="Sign this token out everywhere?"
            confirmLabel="Revoke token"
            busy={revoke.busy}
            testId="token-revoke"
            onConfirm={async () => {
              if (await revoke.run()) onRevoked();
            }}
          />
        )}
        <ErrorNote error={revoke.error} />
      </td>
    </tr>
  );
}

/** Staff tokens for the console and the API: create (shown once), list, revoke. */
export function StaffTokens() {
  const loaded = useLoad(() => adminApi.tokens.list(), []);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ name: string; token: string }>();
  const create = useAction((tokenName: string) => adminApi.tokens.create(tokenName));
  const tokens = loaded.data?.tokens ?? [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await create.run(name.trim());
    if (!result) return;
    setCreated({ name: name.trim(), token: result.token });
    setName('');
    loaded.reload();
  };

  return (
    <section className="card">
      <h2>Staff tokens</h2>
      <p className="muted">
        Each person or script gets its own token, to sign in here or call the API with{' '}
        <code>Authorization: Bearer</code>.
      </p>
      <form className="inline-form" onSubmit={submit}>
        <input
          className="input"
          placeholder="Who is it for? e.g. Dana (support)"
          value={name}
          maxLength={100}
          onChange={(e) => setName(e.target.value)}
          aria-label="Token name"
          data-testid="token-name"
        />
        <button
          type="submit"
          className="button button-primary"
          disabled={!name.trim() || create.busy}
          data-testid="token-create"
        >
          {create.busy ? 'Creating…' : 'Create token'}
        </button>
      </form>
      <ErrorNote error={create.error} />
      {created && <NewToken {...created} onDone={() => setCreated(undefined)} />}
      <ErrorNote error={loaded.error} onRetry={loaded.reload} />
      {loaded.loading && !loaded.data ? (
        <Loading what="Loading tokens" />
      ) : loaded.data && tokens.length === 0 ? (
        <Empty title="No staff tokens yet.">The admin token from PARLEY_ADMIN_TOKEN always works.</Empty>
      ) : (
        loaded.data && (
          <div className="table-wrap">
            <table className="table" data-testid="tokens-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Token</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <TokenRow key={t.id} token={t} onRevoked={loaded.reload} />
                ))}
              </tbody>
            </table>
          </div>
        )
      )}
    </section>
  );
}

import { type FormEvent, useState } from 'react';
import { adminApi } from '../api.ts';
import { ErrorNote } from '../components/status.tsx';
import type { StaffView } from '../../../../src/contracts/session.ts';
import { useAction } from '../use-api.ts';

export function SignIn({ onSignedIn }: { onSignedIn: (staff: StaffView) => void }) {
  const [token, setToken] = useState('');
  const signIn = useAction((value: string) => adminApi.session.signIn(value));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const staff = await signIn.run(token.trim());
    if (staff) onSignedIn(staff);
  };

  return (
    <main className="center-page">
      <form className="card sign-in" onSubmit={submit}>
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            P
          </span>
          Parley console
        </div>
        <p className="muted">Sign in with the admin token (PARLEY_ADMIN_TOKEN) or a staff token.</p>
        <label className="field">
          <span>Staff token</span>
          <input
            className="input"
            type="password"
            autoComplete="current-password"
            autoFocus
            value={token}
            onChange={(event) => setToken(event.target.value)}
            data-testid="login-token"
          />
        </label>
        <ErrorNote error={signIn.error} />
        <button
          className="button button-primary"
          type="submit"
          disabled={signIn.busy || !token.trim()}
          data-testid="login-submit"
        >
          {signIn.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

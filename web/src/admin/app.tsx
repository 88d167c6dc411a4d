import { useEffect, useState } from 'react';
import { adminApi, onSignedOut } from './api.ts';
import { ErrorNote, Loading } from './components/status.tsx';
import { Shell } from './shell.tsx';
import { SignIn } from './pages/sign-in.tsx';
import type { StaffView as Staff } from '../../../src/contracts/session.ts';
import { useAction, useLoad } from './use-api.ts';

/** The console: the sign-in page until a staff session exists, then the navigation shell. */
export function App() {
  const session = useLoad(() => adminApi.session.current(), []);
  const [staff, setStaff] = useState<Staff | null>();
  const signOut = useAction(() => adminApi.session.signOut());

  useEffect(() => {
    if (session.data) setStaff(session.data);
    else if (session.error?.status === 401) setStaff(null);
  }, [session.data, session.error]);

  // Any 401 later on (expired cookie, revoked token) brings the sign-in page back.
  useEffect(() => onSignedOut(() => setStaff(null)), []);

  if (staff === undefined) {
    if (session.error && session.error.status !== 401) {
      return (
        <main className="center-page">
          <ErrorNote error={session.error} onRetry={session.reload} />
        </main>
      );
    }
    return (
      <main className="center-page">
        <Loading what="Opening the console" />
      </main>
    );
  }
  if (staff === null) return <SignIn onSignedIn={setStaff} />;
  return (
    <Shell
      staff={staff}
      signingOut={signOut.busy}
      onSignOut={async () => {
        await signOut.run();
        setStaff(null);
      }}
    />
  );
}

import type { ReactNode } from 'react';
import type { ApiFailure } from '../api.ts';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="status status-loading" role="status">
      <span className="spinner" aria-hidden="true" /> {what}…
    </p>
  );
}

/** The API's own message, with its code and request id for a bug report. */
export function ErrorNote({ error, onRetry }: { error: ApiFailure | undefined; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div className="status status-error" role="alert" data-testid="error">
      <strong>{error.message}</strong>
      <span className="status-meta">
        {error.code}
        {error.requestId ? ` · request ${error.requestId}` : ''}
      </span>
      {onRetry && (
        <button type="button" className="link-button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children && <p className="empty-hint">{children}</p>}
    </div>
  );
}

export function Badge({ tone = 'neutral', children }: { tone?: BadgeTone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export type BadgeTone = 'neutral' | 'good' | 'bad' | 'warn' | 'info';

const statusTones: Record<string, BadgeTone> = {
  open: 'info',
  resolved: 'good',
  escalated: 'bad',
  active: 'good',
  retired: 'neutral',
  suggested: 'warn',
  approved: 'good',
  rejected: 'neutral',
  created: 'good',
  updated: 'info',
  restored: 'info',
  unchanged: 'neutral',
  failed: 'bad',
  processing: 'warn',
  shipped: 'info',
  delivered: 'good',
  cancelled: 'neutral',
  returned: 'neutral',
};

/** A status word in the colour staff expect for it. */
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTones[status] ?? 'neutral'}>{status}</Badge>;
}

import { useState } from 'react';

/**
 * An action that asks once more in place before it runs (no browser dialog, so tests and keyboards can drive
 * it). The confirming button's test id is `${testId}-confirm`.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel = label,
  busy = false,
  onConfirm,
  testId,
  tone = 'danger',
}: {
  label: string;
  question: string;
  confirmLabel?: string;
  busy?: boolean;
  onConfirm: () => void;
  testId?: string;
  /** Danger for what cannot be undone; neutral for heavy but harmless work. */
  tone?: 'danger' | 'neutral';
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className={tone === 'danger' ? 'button button-danger-outline' : 'button'}
        disabled={busy}
        onClick={() => setAsking(true)}
        data-testid={testId}
      >
        {busy ? 'Working…' : label}
      </button>
    );
  }
  return (
    <span className="confirm">
      <span className="confirm-question">{question}</span>
      <button
        type="button"
        className={tone === 'danger' ? 'button button-danger' : 'button button-primary'}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
        data-testid={testId ? `${testId}-confirm` : undefined}
      >
        {confirmLabel}
      </button>
      <button type="button" className="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

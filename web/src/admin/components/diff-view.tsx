function lineClass(line: string): string {
  if (
    line.startsWith('+++') ||
    line.startsWith('---') ||
    line.startsWith('===') ||
    line.startsWith('Index:')
  ) {
    return 'diff-file';
  }
  if (line.startsWith('@@')) return 'diff-hunk';
  if (line.startsWith('+')) return 'diff-add';
  if (line.startsWith('-')) return 'diff-del';
  return 'diff-context';
}

/** A unified diff with added lines green and removed lines red. */
export function DiffView({ diff }: { diff: string }) {
  const lines = diff.replace(/\n$/, '').split('\n');
  if (!diff.trim()) return <p className="muted">The two versions have the same text.</p>;
  const added = lines.filter((l) => lineClass(l) === 'diff-add').length;
  const removed = lines.filter((l) => lineClass(l) === 'diff-del').length;
  return (
    <div className="diff" data-testid="diff">
      <p className="diff-summary">
        <span className="diff-count-add">+{added}</span> <span className="diff-count-del">−{removed}</span>{' '}
        lines
      </p>
      <pre>
        {lines.map((line, i) => (
          <span key={i} className={`diff-line ${lineClass(line)}`}>
            {line || ' '}
            {'\n'}
          </span>
        ))}
      </pre>
    </div>
  );
}

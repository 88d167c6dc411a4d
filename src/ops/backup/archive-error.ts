export const backupProblems = [
  'unreadable',
  'not-an-archive',
  'newer-version',
  'corrupt',
  'truncated',
  'line-too-long',
  'bad-signature',
  'unsigned',
  'incompatible',
  'not-empty',
  'mismatch',
] as const;
export type BackupProblem = (typeof backupProblems)[number];

/** Why an archive cannot be restored (or a database cannot take it); nothing has been written when raised. */
export class BackupError extends Error {
  constructor(
    readonly code: BackupProblem,
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

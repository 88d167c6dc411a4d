import crypto from 'node:crypto';
import { z } from 'zod';

/**
 * Archive signatures. The checksums in an archive's summary catch accidents, not forgery: anyone who can edit
 * the file can recompute them (and plant a staff token, say). With `PARLEY_BACKUP_KEY` set, the summary also
 * carries an HMAC-SHA256 over every line before it, which only a holder of the key can produce.
 */
export const ArchiveSignature = z.object({
  alg: z.literal('hmac-sha256'),
  /** Tells "signed with another key" apart from "altered"; derived from the key, and reveals nothing of it. */
  keyId: z.string(),
  mac: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ArchiveSignature = z.infer<typeof ArchiveSignature>;

/**
 * What is known of an archive's origin: `verified`, signed with the configured key (and, when read, checked);
 * `unchecked`, signed, but no key is configured to check it; `unsigned`, no signature at all.
 */
export type SignatureState = 'verified' | 'unchecked' | 'unsigned';

/** An identifier for a key that cannot be turned back into it. */
export function keyIdOf(key: string): string {
  return crypto.createHmac('sha256', key).update('parley-backup-key-id').digest('hex').slice(0, 16);
}

/** Accumulates the MAC over an archive's lines, in the order they are written or read. */
export class ArchiveMac {
  private readonly hmac: crypto.Hmac;
  constructor(private readonly key: string) {
    this.hmac = crypto.createHmac('sha256', key);
  }

  add(line: string): void {
    this.hmac.update(line).update('\n');
  }

  signature(): ArchiveSignature {
    return { alg: 'hmac-sha256', keyId: keyIdOf(this.key), mac: this.hmac.digest('hex') };
  }

  /** Whether `signature` is this MAC's, compared in constant time. */
  matches(signature: ArchiveSignature): boolean {
    const mine = Buffer.from(this.signature().mac, 'hex');
    const theirs = Buffer.from(signature.mac, 'hex');
    return mine.length === theirs.length && crypto.timingSafeEqual(mine, theirs);
  }
}

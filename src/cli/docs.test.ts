import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerDocs, versionNumber } from './docs.ts';

describe('parley docs version arguments', () => {
  it('takes versions as the console shows them (v2) and as numbers (2)', () => {
    expect([versionNumber('v1'), versionNumber('V12'), versionNumber('3'), versionNumber(' v4 ')]).toEqual([
      1, 12, 3, 4,
    ]);
    for (const bad of ['v', 'v0', '0', '-1', '1.5', 'version2', '2v', '']) {
      expect(() => versionNumber(bad)).toThrow(/expected a version such as v2 or 2/);
    }
  });

  it('accepts `docs diff <doc> v1 v2` on the command line', () => {
    const program = new Command().exitOverride();
    registerDocs(program);
    const diff = program.commands
      .find((c) => c.name() === 'docs')!
      .commands.find((c) => c.name() === 'diff')!;
    let parsed: unknown[] = [];
    diff.action((...args: unknown[]) => {
      parsed = args.slice(0, 3);
    });
    program.parse(['docs', 'diff', 'pairing.md', 'v1', '2'], { from: 'user' });
    expect(parsed).toEqual(['pairing.md', 1, 2]);
  });
});

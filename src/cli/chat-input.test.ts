import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { chatLineReader } from './agent.ts';

/** A stand-in for a terminal: readline switches it to raw mode and must echo keystrokes itself. */
function fakeTerminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
  let shown = '';
  output.on('data', (d: Buffer) => (shown += d.toString()));
  return { input, output, shown: () => shown };
}

describe('parley chat input', () => {
  it('echoes what is typed on a terminal, and hands over the line', async () => {
    const terminal = fakeTerminal();
    const rl = chatLineReader(terminal.input, terminal.output);
    const line = new Promise<string>((resolve) => rl.once('line', resolve));
    rl.prompt();
    terminal.input.write('how do I pair?\r');
    expect(await line).toBe('how do I pair?');
    rl.close();
    expect(terminal.shown()).toContain('you › ');
    expect(terminal.shown()).toContain('how do I pair?');
  });

  it('does not echo piped input', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => (shown += d.toString()));
    const rl = chatLineReader(input, output);
    const line = new Promise<string>((resolve) => rl.once('line', resolve));
    input.write('from a file\n');
    expect(await line).toBe('from a file');
    rl.close();
    expect(shown).not.toContain('from a file');
  });
});

import { describe, expect, it } from 'vitest';
import { extractMarkdown } from './markdown.ts';
import { type Block } from './types.ts';

const texts = (blocks: Block[]) => blocks.filter((b) => b.type === 'text').map((b) => b.text);

describe('Markdown front matter', () => {
  it('is read as YAML: quotes inside a title, quoted values, lists and comments', () => {
    const doc = extractMarkdown(
      `---
title: Setting up "Night mode"
summary: 'It''s quiet: no lights'
product: "KE-HUB" # the hub
tags: [hub, lights]
draft: false
---
# Ignored for the title

Text.
`,
      'fallback',
    );
    expect(doc.title).toBe('Setting up "Night mode"');
    expect(doc.metadata).toEqual({
      title: 'Setting up "Night mode"',
      summary: "It's quiet: no lights",
      product: 'KE-HUB',
      tags: 'hub, lights',
      draft: 'false',
    });
  });

  it('falls back to key: value lines when the YAML is broken', () => {
    const doc = extractMarkdown('---\ntitle: Pairing: the "Flit" way\n  bad: [\n---\nBody text here.\n', 'x');
    expect(doc.title).toBe('Pairing: the "Flit" way');
    expect(texts(doc.blocks).join('\n')).toContain('Body text here.');
  });
});

describe('MDX', () => {
  it('keeps the prose of component props and drops imports, exports and code-like props', () => {
    const doc = extractMarkdown(
      `import { Callout } from '../components/callout';
export const meta = {
  title: 'Hub safety',
};

# Charging the hub

<Callout type="warning" title="Warning: unplug first">
Wipe the contacts with a dry cloth.
</Callout>

<Image src="/img/hub-back.png" alt="The back of the hub, with the reset button" width={300} />

<Steps onDone={() => track("done")} />
`,
      'hub',
    );
    const all = texts(doc.blocks).join('\n');
    expect(all).toContain('Warning: unplug first');
    expect(all).toContain('The back of the hub, with the reset button');
    expect(all).toContain('Wipe the contacts with a dry cloth.');
    expect(all).not.toMatch(/import|export|components\/callout|Hub safety|hub-back\.png|warning\b|track|300/);
  });

  it('keeps unfenced code that merely starts with import or export', () => {
    const doc = extractMarkdown(
      '# Setup\n\nimport (\n"fmt"\n)\n\nimport BMSCore\n\nexport PATH=$PATH:/opt/bin\n\nDone.\n',
      'x',
    );
    expect(texts(doc.blocks)).toEqual([
      'import (\n"fmt"\n)',
      'import BMSCore',
      'export PATH=$PATH:/opt/bin',
      'Done.',
    ]);
  });

  it('reads a multi-line component tag', () => {
    const doc = extractMarkdown(
      '# Title\n\n<Callout\n  type="note"\n  title="Keep the receipt for returns"\n>\nBody.\n</Callout>\n',
      'x',
    );
    expect(texts(doc.blocks).join('\n')).toBe('Keep the receipt for returns\nBody.');
  });
});

describe('fenced code', () => {
  it('stays a code block of its own, fences and all, not mangled into prose', () => {
    const code =
      '```sh\nparley ingest ./docs   --prune\n\n# <b>not</b> a heading\necho "**x**" | tee `pwd`\n```';
    const doc = extractMarkdown(`# Setup\n\nRun this:\n${code}\nThen wait.\n`, 'x');
    expect(texts(doc.blocks)).toEqual(['Run this:', code, 'Then wait.']);
  });

  it('stays code in a file without headings', () => {
    const code = '~~~\nSTATUS: ok\n\nrun --fast\n~~~';
    const doc = extractMarkdown(
      `Source: https://example.com/x\n\nInstall the tool.\n\n${code}\n\nDone.\n`,
      'x',
    );
    expect(doc.metadata.source).toBe('https://example.com/x');
    expect(texts(doc.blocks)).toEqual(['Install the tool.', code, 'Done.']);
    expect(doc.blocks.filter((b) => b.type === 'heading').map((b) => b.text)).not.toContain('STATUS: ok');
  });
});

import { describe, expect, it } from 'vitest';
import { documentType, documentTypeFromPath } from './document-type.ts';

describe('document type', () => {
  it('drops numeric ordering prefixes', () => {
    expect(documentType('03-guides')).toBe('guide');
    expect(documentType('2. FAQs')).toBe('faq');
    expect(documentType('10_policies')).toBe('policy');
    expect(documentType('01guides')).toBe('guide');
    expect(documentType('2024')).toBeUndefined();
  });

  it('makes the last word singular, leaving words that only look plural', () => {
    expect(['guides', 'policies', 'faqs', 'tutorials', 'addresses', 'patches'].map(documentType)).toEqual([
      'guide',
      'policy',
      'faq',
      'tutorial',
      'address',
      'patch',
    ]);
    expect(['status', 'news', 'series', 'analysis', 'access', 'troubleshooting'].map(documentType)).toEqual([
      'status',
      'news',
      'series',
      'analysis',
      'access',
      'troubleshooting',
    ]);
    expect(documentType('Release Notes')).toBe('release-note');
    expect(documentType('how_tos')).toBe('how-to');
  });

  it('takes the first folder under the ingested root', () => {
    expect(documentTypeFromPath('/docs', '/docs/03-guides/setup/pairing.md')).toBe('guide');
    expect(documentTypeFromPath('/docs', '/docs/pairing.md')).toBeUndefined();
    expect(documentTypeFromPath('/docs', '/elsewhere/policies/returns.md')).toBeUndefined();
  });
});

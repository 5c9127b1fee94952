import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingsMarkdown } from '../../src/config.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('README', () => {
  it('starts its Quick start with exactly two command lines: the demo, then the tests', () => {
    const section = readme.slice(readme.indexOf('## Quick start'));
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const lines = block.trim().split('\n');
    expect(lines).toEqual(['npm ci && npm run demo', 'npm test']);
  });

  it('holds the configuration table generated from the config module (node scripts/readme-config.mjs)', () => {
    // The formatter pads Markdown tables: compare cell contents, not spacing.
    const cells = (text: string) => text.replace(/ *\| */g, '|').replace(/\|-+(?=\|)/g, '|-');
    expect(cells(readme)).toContain(cells(settingsMarkdown()));
  });
});

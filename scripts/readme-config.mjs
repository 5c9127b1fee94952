// Regenerates the configuration table of README.md from src/config.ts (via the built CLI).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const table = execFileSync(process.execPath, ['bin/dedupe.js', 'config', '--markdown'], {
  encoding: 'utf8',
}).trim();
const readme = readFileSync('README.md', 'utf8');
const start = readme.search(/^\| variable +\| default +\| meaning +\|/m);
const next = start >= 0 ? readme.indexOf('\n\n', start) : -1;
const updated =
  start >= 0 ? readme.slice(0, start) + table + readme.slice(next) : readme.replace('CONFIG_TABLE', table);
writeFileSync('README.md', updated);

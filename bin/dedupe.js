#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run prepare` (run by `npm ci`).
import('../dist/src/cli/main.js').catch((err) => {
  console.error(err?.code === 'ERR_MODULE_NOT_FOUND' ? 'dedupe: build missing, run `npm run build`' : err);
  process.exit(1);
});

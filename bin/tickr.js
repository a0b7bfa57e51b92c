#!/usr/bin/env node
// The `tickr` command: runs the headless node from the build (`npm run build` makes it).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = fileURLToPath(new URL('../out/main/serve.js', import.meta.url));
if (!existsSync(entry)) {
  console.error('tickr: no build found at out/main/serve.js; run `npm run build` first');
  process.exit(1);
}
await import(pathToFileURL(entry).href);

#!/usr/bin/env node
// `npm run soak -- --minutes N --seed S`: issue 13's soak (soak/main.ts). Three `tickr serve`
// processes from the build (out/main/serve.js) on a private Redis and a private MariaDB, which it
// starts itself in temp folders, so it never touches the shared servers and needs no
// TICKR_TEST_* variables. The soak spawns the nodes from out/, so it builds first when the build
// is missing or older than its sources, as `npm test` does. TypeScript runs through tsx: the soak
// imports no engine module (it drives the nodes over HTTP), so it needs none of Vite's loaders.
import { fileURLToPath } from 'node:url';
import { run } from './private-servers.mjs';
import { buildDecision } from './setup.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = buildDecision(root);
if (build.needed) {
  console.log(`[soak] building first: ${build.reason}`);
  const code = await run(['electron-vite', 'build'], process.env);
  if (code !== 0) process.exit(code);
}
process.exit(await run(['tsx', 'soak/main.ts', ...process.argv.slice(2)], process.env));

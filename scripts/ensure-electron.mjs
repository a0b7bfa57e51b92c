#!/usr/bin/env node
// Makes sure Electron's binary is there before electron-vite starts the app. Electron 45+ no
// longer downloads it at install; its package does so the first time it is required, while
// electron-vite only looks for the file and stops with "Electron uninstall". Requiring it here
// fetches it once (a no-op afterwards).
import { createRequire } from 'node:module';

try {
  const binary = createRequire(import.meta.url)('electron');
  if (typeof binary !== 'string') throw new Error('the electron package did not give a binary path');
} catch (err) {
  console.error(
    `[tickr] the Electron binary could not be fetched: ${err instanceof Error ? err.message : String(err)}`,
  );
  console.error('[tickr] the headless node needs no Electron: npm run build && npm run serve');
  process.exit(1);
}

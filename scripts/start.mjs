#!/usr/bin/env node
// `npm start`: the one command from a fresh clone. Installs the dependencies when missing or
// stale, builds when the build is missing or older than the sources, then opens the desktop app.
// `npm start -- --headless [serve flags]` starts the headless node instead (no Electron, no
// display), with managed local services as the desktop app has; `--setup-only` stops after the set-up. Only Node built-ins before the install.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureSetUp } from './setup.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const headless = args.includes('--headless');
const rest = args.filter((a) => a !== '--headless' && a !== '--setup-only');

try {
  ensureSetUp({ root, label: 'start', build: 'build:app' });
} catch (err) {
  console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
if (args.includes('--setup-only')) process.exit(0);

/** Runs a command in the foreground, handing it Ctrl+C (it drains itself), and exits with it. */
function foreground(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
}

if (headless) {
  // From a fresh machine the node must come up with no servers running: --managed runs its own
  // Redis and MariaDB only where the local defaults are configured and nothing answers there.
  const managed = rest.includes('--managed') ? [] : ['--managed'];
  foreground(process.execPath, ['bin/tickr.js', 'serve', ...managed, ...rest]);
} else {
  // ensure-electron fetches Electron's binary on first use and explains the headless way if it cannot.
  const check = spawn(process.execPath, ['scripts/ensure-electron.mjs'], { cwd: root, stdio: 'inherit' });
  check.on('exit', (code) => {
    if (code !== 0) process.exit(code ?? 1);
    foreground(process.execPath, [
      'node_modules/electron-vite/bin/electron-vite.js',
      'preview',
      '--skipBuild',
      ...rest,
    ]);
  });
}

// The set-up `npm start` and `npm test` do by themselves on a fresh clone: install the
// dependencies when they are missing or stale, build when the build is missing or older than its
// sources. Only Node built-ins: node_modules may not exist yet when this runs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What electron-vite writes (electron.vite.config.ts): a build lacking any of them is missing. */
export const BUILD_OUTPUTS = [
  'out/main/index.js',
  'out/main/serve.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
];

/** What the build is made from: a change to any of these makes the build stale. */
export const BUILD_SOURCES = [
  'src',
  'electron.vite.config.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.node.json',
  'tsconfig.web.json',
];

function mtimeOf(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/** The most recently modified file under `path` (a file or a folder, walked), or null. */
function newestFile(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return null;
  }
  if (!stat.isDirectory()) return { path, mtimeMs: stat.mtimeMs };
  let newest = null;
  for (const entry of readdirSync(path)) {
    const found = newestFile(join(path, entry));
    if (found !== null && (newest === null || found.mtimeMs > newest.mtimeMs)) newest = found;
  }
  return newest;
}

/**
 * Whether `npm ci` must run. npm writes node_modules/.package-lock.json at every install, so a
 * package-lock.json newer than it means the lock changed (a pull, a branch switch) since.
 */
export function installDecision(root) {
  if (!existsSync(join(root, 'node_modules'))) return { needed: true, reason: 'node_modules is missing' };
  const installed = mtimeOf(join(root, 'node_modules/.package-lock.json'));
  if (installed === null)
    return { needed: true, reason: 'node_modules/.package-lock.json is missing (no complete install)' };
  const lock = mtimeOf(join(root, 'package-lock.json'));
  if (lock !== null && lock > installed) {
    return { needed: true, reason: 'package-lock.json is newer than the installed node_modules' };
  }
  return { needed: false, reason: 'dependencies are installed and up to date' };
}

/** Whether the build must run: an output is missing, or a source is newer than the oldest output. */
export function buildDecision(root) {
  let oldest = null;
  for (const output of BUILD_OUTPUTS) {
    const mtimeMs = mtimeOf(join(root, output));
    if (mtimeMs === null) return { needed: true, reason: `${output} is missing` };
    if (oldest === null || mtimeMs < oldest.mtimeMs) oldest = { path: output, mtimeMs };
  }
  for (const source of BUILD_SOURCES) {
    const newest = newestFile(join(root, source));
    if (newest !== null && oldest !== null && newest.mtimeMs > oldest.mtimeMs) {
      const relative = newest.path.slice(root.length).replace(/^[/\\]/, '');
      return { needed: true, reason: `${relative} is newer than ${oldest.path}` };
    }
  }
  return { needed: false, reason: 'the build is up to date' };
}

function npm(args, root) {
  // npm is a .cmd on Windows, which spawn only finds through a shell.
  const result = spawnSync('npm', args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    throw new Error(`\`npm ${args.join(' ')}\` failed (exit ${result.status ?? result.signal})`);
  }
}

/**
 * Installs and builds as needed, saying why. `build` is the npm script to run: `npm test` uses
 * `build` (typecheck, then build), `npm start` the quicker `build:app` (the build alone).
 */
export function ensureSetUp({ root, label, build = 'build', log = console.log }) {
  const install = installDecision(root);
  if (install.needed) {
    log(`[${label}] installing dependencies: ${install.reason}`);
    npm(['ci', '--no-audit', '--no-fund'], root);
  }
  const rebuild = buildDecision(root);
  if (rebuild.needed) {
    log(`[${label}] building: ${rebuild.reason}`);
    npm(['run', build], root);
  }
  return { installed: install.needed, built: rebuild.needed };
}

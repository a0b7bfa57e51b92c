import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { findBinary } from './binaries';
import type { ServerSpec } from './supervisor';

const run = promisify(execFile);

export type MysqlFlavour = 'mariadb' | 'mysql';

/** MariaDB ships a `mysqld` too (often a link to mariadbd): its version line tells them apart. */
export async function mysqlFlavour(binary: string): Promise<MysqlFlavour> {
  if (path.basename(binary).startsWith('mariadbd')) return 'mariadb';
  try {
    const { stdout } = await run(binary, ['--version'], { windowsHide: true });
    return /mariadb/i.test(stdout) ? 'mariadb' : 'mysql';
  } catch {
    return 'mysql';
  }
}

/**
 * Runs an initialisation tool to its end. In its own process group, ended whole on abort (a quit
 * during the first start): mariadb-install-db is a script whose bootstrap server would outlive it.
 */
function runTool(file: string, args: string[], signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2_000);
    });
    const onAbort = (): void => {
      try {
        if (process.platform === 'win32' || child.pid === undefined) child.kill('SIGKILL');
        else process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', reject);
    child.once('close', (code, sig) => {
      signal.removeEventListener('abort', onAbort);
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(file)} failed (${sig ?? `exit code ${code}`}): ${stderr.trim()}`));
    });
  });
}

/** mariadbd refuses to run as root unless told to: a root-run Tickr (a container) says so. */
function userArgs(): string[] {
  return process.getuid?.() === 0 ? ['--user=root'] : [];
}

/**
 * Initialises the data dir on first start: into `data.partial`, renamed to `data` only once the
 * tool succeeded, so an initialisation cut short (a quit, a crash) is redone, not half-used. Root
 * gets no password and password authentication over TCP: the server listens on 127.0.0.1 only.
 */
async function initialise(binary: string, flavour: MysqlFlavour, dir: string, signal: AbortSignal): Promise<void> {
  const dataDir = path.join(dir, 'data');
  if (existsSync(path.join(dataDir, 'mysql'))) return;
  const partial = path.join(dir, 'data.partial');
  rmSync(partial, { recursive: true, force: true });
  const binDir = path.dirname(binary);
  if (flavour === 'mysql') {
    await runTool(binary, ['--no-defaults', '--initialize-insecure', `--datadir=${partial}`, ...userArgs()], signal);
  } else {
    const tool = findBinary(['mariadb-install-db', 'mysql_install_db'], {
      PATH: [binDir, path.join(binDir, '..', 'bin'), path.join(binDir, '..', 'scripts'), process.env.PATH ?? ''].join(
        path.delimiter,
      ),
    });
    if (tool === null) throw new Error('mariadb-install-db was not found next to the server or on PATH');
    const args = [
      '--no-defaults',
      `--datadir=${partial}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...userArgs(),
    ];
    // Homebrew's install-db finds its share files from --basedir only.
    if (process.platform === 'darwin') args.push(`--basedir=${path.dirname(binDir)}`);
    await runTool(tool, args, signal);
  }
  renameSync(partial, dataDir);
}

/** A MariaDB or MySQL for Tickr alone: bound to 127.0.0.1, its data in `<dir>/data`. */
export function mariadbSpec(binary: string, flavour: MysqlFlavour, dir: string, port: number): ServerSpec {
  mkdirSync(dir, { recursive: true });
  // Its internal temporary tables in its own folder too: the system temp dir is shared with
  // other servers and cleaners, and a temporary file deleted under MariaDB fails (or, in 10.11,
  // crashes) the statement using it.
  const tmp = path.join(dir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const args = [
    '--no-defaults',
    `--datadir=${path.join(dir, 'data')}`,
    `--tmpdir=${tmp}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--pid-file=${path.join(dir, 'server.pid')}`,
    `--log-error=${path.join(dir, 'server.err')}`,
    '--skip-log-bin',
    ...userArgs(),
  ];
  // A Unix socket in the service dir, so it never clashes with a system server's; Windows has none.
  if (process.platform !== 'win32') args.push(`--socket=${path.join(dir, 'mysqld.sock')}`);
  // MySQL's X protocol would take port 33060 beside the classic one.
  if (flavour === 'mysql') args.push('--mysqlx=OFF');
  return {
    service: 'mysql',
    label: flavour === 'mariadb' ? 'MariaDB' : 'MySQL',
    port,
    dir,
    pidFile: path.join(dir, 'tickr-managed.pid'),
    markers: [path.join(dir, 'data')],
    prepare: (signal) => initialise(binary, flavour, dir, signal),
    command: { file: binary, args },
  };
}

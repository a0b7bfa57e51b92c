import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Where package managers put server binaries that are often not on a user's PATH: Debian's
 * mariadbd is in /usr/sbin, Homebrew's in /opt/homebrew (Apple silicon) or /usr/local.
 */
const EXTRA_DIRS: Record<string, string[]> = {
  linux: ['/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/local/bin', '/usr/bin'],
  darwin: ['/opt/homebrew/bin', '/opt/homebrew/sbin', '/usr/local/bin', '/usr/local/sbin', '/usr/local/mysql/bin'],
  win32: [],
};

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first of `names` found on PATH or in the usual sbin folders, as an absolute path, or null. */
export function findBinary(
  names: string[],
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  extraDirs: string[] = EXTRA_DIRS[platform] ?? EXTRA_DIRS.linux!,
): string | null {
  const pathDirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter((d) => d !== '');
  const dirs = [...pathDirs, ...extraDirs];
  const suffixes = platform === 'win32' ? ['.exe', ''] : [''];
  for (const name of names) {
    for (const dir of dirs) {
      for (const suffix of suffixes) {
        const file = path.join(dir, name + suffix);
        if (isExecutable(file)) return file;
      }
    }
  }
  return null;
}

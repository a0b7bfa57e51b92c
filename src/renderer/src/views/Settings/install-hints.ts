/**
 * How to get a local Redis and MariaDB, per OS, for the first-run screen. A short static list
 * until the managed-services helper (src/main/services/) exports its own, which knows what is
 * installed.
 */
export interface InstallHint {
  os: string;
  lines: string[];
}

export const INSTALL_HINTS: InstallHint[] = [
  { os: 'Debian, Ubuntu', lines: ['sudo apt install redis-server mariadb-server'] },
  { os: 'Fedora', lines: ['sudo dnf install redis mariadb-server'] },
  { os: 'macOS (Homebrew)', lines: ['brew install redis mariadb', 'brew services start redis mariadb'] },
  {
    os: 'Windows',
    lines: ['winget install MariaDB.Server', 'Redis: use WSL (sudo apt install redis-server) or Memurai'],
  },
];

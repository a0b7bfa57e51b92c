import type { ServiceName } from './local-default';

export interface InstallHint {
  /** One sentence for the first-run screen or the terminal. */
  summary: string;
  /** Commands to copy, one a line, for the OS the app runs on. */
  commands: string[];
  /** How to use a server elsewhere instead. */
  remote: string;
}

const LABEL: Record<ServiceName, string> = { redis: 'Redis', mysql: 'MariaDB (or MySQL)' };

const COMMANDS: Record<'linux' | 'darwin' | 'win32', Record<ServiceName, string[]>> = {
  linux: {
    redis: [
      'sudo apt install redis-server        # Debian, Ubuntu',
      'sudo dnf install redis               # Fedora, RHEL',
    ],
    mysql: [
      'sudo apt install mariadb-server      # Debian, Ubuntu',
      'sudo dnf install mariadb-server      # Fedora, RHEL',
    ],
  },
  darwin: {
    redis: ['brew install redis'],
    mysql: ['brew install mariadb'],
  },
  win32: {
    // Redis has no native Windows build of its own; Memurai is the maintained compatible server.
    redis: ['winget install Memurai.MemuraiDeveloper', 'or run Redis in WSL: wsl sudo apt install redis-server'],
    mysql: ['winget install MariaDB.Server'],
  },
};

const REMOTE: Record<ServiceName, string> = {
  redis: 'or point Tickr at a Redis elsewhere: Settings → Redis, or --redis-url / TICKR_REDIS_URL',
  mysql: 'or point Tickr at a MySQL elsewhere: Settings → MySQL, or --mysql-url / TICKR_MYSQL_URL',
};

/**
 * What to install when the local default server is down and no binary was found, per platform.
 * Data, not text: the first-run screen lays it out, the headless node prints it.
 */
export function installHint(service: ServiceName, platform: NodeJS.Platform = process.platform): InstallHint {
  const os = platform === 'darwin' || platform === 'win32' ? platform : 'linux';
  return {
    summary: `${LABEL[service]} is not running on this machine and is not installed; install it and Tickr starts it for you:`,
    commands: COMMANDS[os][service],
    remote: REMOTE[service],
  };
}

/** The hint as terminal lines. */
export function installHintLines(service: ServiceName, platform: NodeJS.Platform = process.platform): string[] {
  const hint = installHint(service, platform);
  return [hint.summary, ...hint.commands.map((c) => `  ${c}`), hint.remote];
}

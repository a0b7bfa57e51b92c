/**
 * The oldest servers Tickr runs on (DESIGN.md §6): Redis 6.2 (BLMOVE), MySQL 8.0, MariaDB 10.6.
 * Versions are compared as numbers, part by part, from the server's own version string.
 */
export const MINIMUM_VERSIONS = { redis: '6.2.0', mysql: '8.0.0', mariadb: '10.6.0' } as const;

export type ServerKind = keyof typeof MINIMUM_VERSIONS;

/** The leading numeric parts of a version ("10.11.6-MariaDB-1" → [10, 11, 6]), or null. */
export function versionParts(version: string): number[] | null {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version.trim());
  if (m === null) return null;
  return [m[1], m[2], m[3]].map((p) => (p === undefined ? 0 : Number(p)));
}

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** MySQL's VERSION() says MariaDB in its suffix ("10.11.6-MariaDB"); old MariaDB proxies add a "5.5.5-" prefix. */
export function mysqlKind(version: string): ServerKind {
  return /mariadb/i.test(version) ? 'mariadb' : 'mysql';
}

/** Why this server is too old, or null when it is recent enough (or its version cannot be read). */
export function tooOld(kind: ServerKind, version: string): string | null {
  const cleaned = kind === 'mariadb' ? version.replace(/^5\.5\.5-/, '') : version;
  const parts = versionParts(cleaned);
  if (parts === null) return null;
  const minimum = MINIMUM_VERSIONS[kind];
  if (compareVersions(parts, versionParts(minimum) ?? []) >= 0) return null;
  const name = { redis: 'Redis', mysql: 'MySQL', mariadb: 'MariaDB' }[kind];
  return `${name} ${parts.join('.')} is too old: Tickr needs ${name} ${minimum.replace(/\.0$/, '')} or newer`;
}

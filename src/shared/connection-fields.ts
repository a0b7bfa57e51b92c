/**
 * A connection is stored as one URL (config.json, TICKR_REDIS_URL, TICKR_MYSQL_URL); the
 * Settings form also shows it as fields. TLS options travel in the URL's query so that every
 * source of configuration (file, environment, flags) can carry them the same way:
 * - Redis: `rediss://` turns TLS on; `tls-ca`, `tls-cert`, `tls-key` name PEM files and
 *   `tls-verify=0` skips the server-certificate check.
 * - MySQL: `tls=1` turns TLS on, with the same four options.
 * This module knows no Node API: the renderer builds URLs with it too.
 */
export type ServiceName = 'redis' | 'mysql';

export interface ConnectionFields {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The database name for MySQL, the database index (a number) for Redis. */
  database: string;
  tls: boolean;
  /** Check the server's certificate (on unless the user turns it off). */
  tlsVerify: boolean;
  tlsCaFile: string;
  tlsCertFile: string;
  tlsKeyFile: string;
}

export const DEFAULT_PORTS: Record<ServiceName, number> = { redis: 6379, mysql: 3306 };

/** The query parameters this module owns; every other one is left to the driver. */
export const TLS_PARAMS = ['tls', 'tls-ca', 'tls-cert', 'tls-key', 'tls-verify'] as const;

function isOn(value: string | null): boolean {
  return value !== null && ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

export function urlToFields(service: ServiceName, url: string): ConnectionFields {
  const u = new URL(url);
  const q = u.searchParams;
  const path = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port ? Number(u.port) : DEFAULT_PORTS[service],
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: service === 'mysql' ? path || 'tickr' : path,
    tls: service === 'redis' ? u.protocol === 'rediss:' : isOn(q.get('tls')),
    tlsVerify: q.get('tls-verify') === null || isOn(q.get('tls-verify')),
    tlsCaFile: q.get('tls-ca') ?? '',
    tlsCertFile: q.get('tls-cert') ?? '',
    tlsKeyFile: q.get('tls-key') ?? '',
  };
}

export function fieldsToUrl(service: ServiceName, f: ConnectionFields): string {
  const scheme = service === 'redis' ? (f.tls ? 'rediss' : 'redis') : 'mysql';
  const host = f.host.includes(':') ? `[${f.host}]` : f.host;
  const auth =
    f.user !== '' || f.password !== ''
      ? `${encodeURIComponent(f.user)}${f.password !== '' ? `:${encodeURIComponent(f.password)}` : ''}@`
      : '';
  const path = f.database === '' ? '' : `/${encodeURIComponent(f.database)}`;
  const q = new URLSearchParams();
  if (service === 'mysql' && f.tls) q.set('tls', '1');
  if (f.tls) {
    if (f.tlsCaFile !== '') q.set('tls-ca', f.tlsCaFile);
    if (f.tlsCertFile !== '') q.set('tls-cert', f.tlsCertFile);
    if (f.tlsKeyFile !== '') q.set('tls-key', f.tlsKeyFile);
    if (!f.tlsVerify) q.set('tls-verify', '0');
  }
  const query = q.toString();
  return `${scheme}://${auth}${host}:${f.port}${path}${query === '' ? '' : `?${query}`}`;
}

/** The URL without its password, and whether it had one: what may be shown or stored in clear. */
export function splitPassword(url: string): { url: string; password: string } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), password };
}

/** The URL with `password` put in (an empty one leaves it without). */
export function withPassword(url: string, password: string): string {
  const u = new URL(url);
  if (password !== '') {
    if (u.username === '' && u.protocol.startsWith('mysql')) u.username = 'root';
    u.password = encodeURIComponent(password);
  }
  return u.toString();
}

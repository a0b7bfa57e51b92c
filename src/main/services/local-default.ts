export type ServiceName = 'redis' | 'mysql';

/** The ports a local default server listens on; injectable so tests never touch 6379 and 3306. */
export interface DefaultPorts {
  redis: number;
  mysql: number;
}

export const DEFAULT_PORTS: DefaultPorts = { redis: 6379, mysql: 3306 };

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const PROTOCOL: Record<ServiceName, string> = { redis: 'redis:', mysql: 'mysql:' };

/**
 * True when `url` names the out-of-the-box local server: plain (no TLS) on this machine, on the
 * default port, with no password (and, for MySQL, as root). Any other URL is a server someone
 * configured on purpose, and Tickr never starts one in its place.
 */
export function isLocalDefault(service: ServiceName, url: string, ports: DefaultPorts = DEFAULT_PORTS): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== PROTOCOL[service] || !LOCAL_HOSTS.has(u.hostname) || u.password !== '') return false;
  const port = u.port === '' ? DEFAULT_PORTS[service] : Number(u.port);
  if (port !== ports[service]) return false;
  return service === 'redis' ? u.username === '' || u.username === 'default' : u.username === 'root';
}

export type ManageDecision =
  { manage: true } | { manage: false; reason: 'not-local-default' | 'already-answering' | 'no-binary' };

/**
 * Whether Tickr runs the server itself: only for the local default, only when nothing answers
 * there (a server the user runs wins), and only when the server binary is installed.
 */
export function decideManage(input: {
  service: ServiceName;
  url: string;
  ports?: DefaultPorts;
  answers: boolean;
  binary: string | null;
}): ManageDecision {
  if (!isLocalDefault(input.service, input.url, input.ports)) return { manage: false, reason: 'not-local-default' };
  if (input.answers) return { manage: false, reason: 'already-answering' };
  if (input.binary === null) return { manage: false, reason: 'no-binary' };
  return { manage: true };
}

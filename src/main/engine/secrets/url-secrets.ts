import { TickrError } from '../../../shared/errors';

/**
 * The secrets an http task's URL can carry, and the URL as it may be shown (the log's request
 * line, errors, the API). Two places hold them:
 * - the userinfo: `user:password@` shows as `user:***@`; a user name alone (`token@`, as APIs
 *   that take the key as the Basic user name use it) shows as `***@`;
 * - the query: values of well-known secret names, and of the names the task lists in
 *   `http.secretQuery`, show as `***`. Names match without regard to case, after decoding.
 * The fragment is never sent and is left as it is.
 */

/** What stands in for a secret where a URL is shown; sent back in tasks.update, it keeps the stored one. */
export const SECRET_PLACEHOLDER = '***';

/** Query names whose values are always secrets. Others are marked per task (`http.secretQuery`). */
export const WELL_KNOWN_SECRET_QUERY: readonly string[] = [
  'api_key',
  'apikey',
  'key',
  'token',
  'access_token',
  'password',
  'secret',
  'signature',
  'sig',
  'auth',
];

function decodeComponent(raw: string, plusIsSpace: boolean): string {
  try {
    return decodeURIComponent(plusIsSpace ? raw.replace(/\+/g, ' ') : raw);
  } catch {
    return raw; // a stray % is taken as written
  }
}

/** One `name=value` of a query, as written (still encoded); `value` is null for a bare `name`. */
interface QueryPart {
  name: string;
  value: string | null;
}

function queryParts(search: string): QueryPart[] {
  return search
    .replace(/^\?/, '')
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? { name: part, value: null } : { name: part.slice(0, eq), value: part.slice(eq + 1) };
    });
}

function queryString(parts: readonly QueryPart[]): string {
  return parts.map((p) => (p.value === null ? p.name : `${p.name}=${p.value}`)).join('&');
}

/** Whether a query parameter's value is a secret: a well-known name, or one the task marked. */
export function isSecretQueryName(rawName: string, marked: readonly string[] = []): boolean {
  const name = decodeComponent(rawName, true).toLowerCase();
  return WELL_KNOWN_SECRET_QUERY.includes(name) || marked.some((m) => m.toLowerCase() === name);
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** The userinfo part that is the credential: the password, or the user name when it stands alone. */
function credentialPart(u: URL): 'password' | 'username' | null {
  if (u.password !== '') return 'password';
  return u.username !== '' ? 'username' : null;
}

/**
 * The URL as it may be shown, its secrets replaced by ***. A URL that does not parse is shown as
 * *** whole: without its structure there is no telling where a secret in it would be. A URL
 * without secrets comes back exactly as written.
 */
export function redactUrl(url: string, marked: readonly string[] = []): string {
  const u = parse(url);
  if (!u) return SECRET_PLACEHOLDER;
  let changed = false;
  const credential = credentialPart(u);
  if (credential && u[credential] !== SECRET_PLACEHOLDER) {
    u[credential] = SECRET_PLACEHOLDER;
    changed = true;
  }
  if (u.search !== '') {
    const parts = queryParts(u.search);
    for (const p of parts) {
      if (p.value !== null && p.value !== SECRET_PLACEHOLDER && isSecretQueryName(p.name, marked)) {
        p.value = SECRET_PLACEHOLDER;
        changed = true;
      }
    }
    if (changed) u.search = queryString(parts);
  }
  return changed ? u.href : url;
}

/**
 * The URL's secrets, for an attempt's redaction list: each as written and decoded (a server or a
 * proxy may echo either), so that it is caught wherever else it shows up.
 */
export function urlSecretValues(url: string, marked: readonly string[] = []): string[] {
  const u = parse(url);
  if (!u) return [];
  const out: string[] = [];
  const credential = credentialPart(u);
  if (credential) out.push(u[credential], decodeComponent(u[credential], false));
  for (const p of queryParts(u.search)) {
    if (p.value !== null && p.value !== '' && isSecretQueryName(p.name, marked)) {
      out.push(p.value, decodeComponent(p.value, true));
    }
  }
  return [...new Set(out)];
}

/** Whether the URL carries *** where a secret would be: it asks to keep a stored one (see restoreUrlSecrets). */
export function hasUrlPlaceholders(url: string, marked: readonly string[] = []): boolean {
  const u = parse(url);
  if (!u) return false;
  const credential = credentialPart(u);
  if (credential && u[credential] === SECRET_PLACEHOLDER) return true;
  return queryParts(u.search).some((p) => p.value === SECRET_PLACEHOLDER && isSecretQueryName(p.name, marked));
}

function noStoredSecret(what: string): TickrError {
  return new TickrError(
    'BAD_INPUT',
    `http.url: *** in place of ${what} keeps the task's stored one, and this task's URL has none; send the value itself`,
  );
}

/**
 * The URL to store from one sent to tasks.update: each *** where a secret would be (as the API
 * shows the URL) replaced by the value at that place in the task's stored URL — the userinfo's
 * password or lone user name, and the n-th value of a secret query name. Refused, naming the
 * field, where the stored URL has nothing to keep.
 */
export function restoreUrlSecrets(next: string, previous: string | null, marked: readonly string[] = []): string {
  const u = parse(next);
  if (!u) return next;
  const before = previous === null ? null : parse(previous);
  const credential = credentialPart(u);
  if (credential && u[credential] === SECRET_PLACEHOLDER) {
    const kept = before ? before[credential] : '';
    if (kept === '') throw noStoredSecret(credential === 'password' ? 'the password' : 'the user name');
    u[credential] = kept;
  }
  if (u.search === '') return u.href;
  const keptValues = new Map<string, string[]>();
  for (const p of before ? queryParts(before.search) : []) {
    if (p.value === null || !isSecretQueryName(p.name, marked)) continue;
    const key = decodeComponent(p.name, true).toLowerCase();
    keptValues.set(key, [...(keptValues.get(key) ?? []), p.value]);
  }
  const parts = queryParts(u.search);
  for (const p of parts) {
    if (p.value !== SECRET_PLACEHOLDER || !isSecretQueryName(p.name, marked)) continue;
    const kept = keptValues.get(decodeComponent(p.name, true).toLowerCase())?.shift();
    if (kept === undefined) throw noStoredSecret(`the value of ${decodeComponent(p.name, true)}`);
    p.value = kept;
  }
  u.search = queryString(parts);
  return u.href;
}

/**
 * The URL without its userinfo, and the Basic credentials it stood for: the HTTP client would
 * drop them silently (fetch refused such a URL), and `user:password@` means HTTP Basic
 * authentication (as in curl).
 */
export function splitCredentials(url: string): { url: string; basic: string | null } {
  const u = parse(url);
  if (!u || credentialPart(u) === null) return { url, basic: null };
  const user = decodeComponent(u.username, false);
  const password = decodeComponent(u.password, false);
  u.username = '';
  u.password = '';
  return { url: u.href, basic: Buffer.from(`${user}:${password}`, 'utf8').toString('base64') };
}

import type { HttpSpec } from '../../../shared/schemas';
import { TickrError } from '../../../shared/errors';
import type { HttpView } from '../../../shared/types';
import { emptyRecord, ownValue } from '../../../shared/own-record';
import type { SecretBox } from './secret-box';
import {
  maskedMap,
  openMap,
  sealMap,
  secretsOfMap,
  SecretUnavailableError,
  type SecretField,
  type StoredMap,
} from './sealed-map';
import {
  hasUrlPlaceholders,
  redactUrl,
  restoreUrlSecrets,
  SECRET_PLACEHOLDER,
  splitCredentials,
  urlSecretValues,
} from './url-secrets';

/**
 * An http task's request as stored (http_json). Secret headers are sealed like secret env values;
 * a URL with secrets (url-secrets.ts) is sealed whole in `sealedUrl`, and `url` then holds it as
 * it may be shown, so that listing tasks needs no key. Rows written before this (headers all
 * plain, no `sealedUrl`) run as they are, and are sealed at the task's next update.
 */
export interface StoredHttp {
  method: HttpSpec['method'];
  url: string;
  sealedUrl?: string;
  headers: StoredMap;
  body?: string;
  secretQuery?: string[];
}

/** Headers are sealed under `header:<name>`, the URL under `url:`: no env name holds a `:`. */
const HEADERS: SecretField = { path: 'http.headers', label: 'secret header', sealedAs: (name) => `header:${name}` };
const URL_SEALED_AS = 'url:';

/** The request a job sends, secrets opened, and what may be shown of it. */
export interface HttpRequest {
  method: HttpSpec['method'];
  /** Without userinfo: its credentials are in the Authorization header (the client would drop them from the URL). */
  url: string;
  /** The URL as the log and errors show it. */
  shownUrl: string;
  headers: Record<string, string>;
  /** The headers as they may be shown: secret ones, and the URL's userinfo turned Authorization, as ***. */
  shownHeaders: Record<string, string>;
  body?: string;
}

function sameNames(a: readonly string[] = [], b: readonly string[] = []): boolean {
  return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
}

/** The stored URL with its secrets, or what to say when this node cannot open it. */
function storedFullUrl(previous: StoredHttp, box: SecretBox): string {
  if (previous.sealedUrl === undefined) return previous.url;
  try {
    return box.open(URL_SEALED_AS, previous.sealedUrl);
  } catch (err) {
    throw new TickrError(
      'BAD_INPUT',
      `http.url: *** keeps the stored URL's secrets, which cannot be opened on this node (${(err as Error).message}); send the URL in full`,
    );
  }
}

function storedUrl(
  input: HttpSpec,
  box: SecretBox,
  previous: StoredHttp | null,
): Pick<StoredHttp, 'url' | 'sealedUrl'> {
  const marked = input.secretQuery ?? [];
  // Sent back as shown and marked alike: kept sealed as it is, so an edit needs no key to open it.
  if (previous?.sealedUrl !== undefined && input.url === previous.url && sameNames(marked, previous.secretQuery)) {
    return { url: previous.url, sealedUrl: previous.sealedUrl };
  }
  // A *** shown under the previous marks keeps its value even if this edit unmarks the name.
  const restoreMarks = [...marked, ...(previous?.secretQuery ?? [])];
  const full = hasUrlPlaceholders(input.url, restoreMarks)
    ? restoreUrlSecrets(input.url, previous ? storedFullUrl(previous, box) : null, restoreMarks)
    : input.url;
  const shown = redactUrl(full, marked);
  return shown === full ? { url: full } : { url: shown, sealedUrl: box.seal(URL_SEALED_AS, full) };
}

/**
 * The http spec from the API in its stored form: secret headers sealed (`{secret: true}` keeps
 * one), the URL sealed if it has secrets (*** where the API showed one keeps the stored value).
 */
export function toStoredHttp(input: HttpSpec, box: SecretBox, previous: StoredHttp | null = null): StoredHttp {
  return {
    method: input.method,
    ...storedUrl(input, box, previous),
    headers: sealMap(HEADERS, input.headers, box, previous?.headers),
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(input.secretQuery !== undefined ? { secretQuery: input.secretQuery } : {}),
  };
}

/** The spec as the API shows it: secret headers as `{secret: true}`, the URL's secrets as ***. */
export function httpView(stored: StoredHttp): HttpView {
  const { sealedUrl: _sealed, headers, url, ...rest } = stored;
  return { ...rest, url: redactUrl(url, stored.secretQuery), headers: maskedMap(headers) };
}

/**
 * Headers that carry credentials by their nature: shown as *** even when the task did not mark
 * them secret, as the query names in url-secrets.ts are.
 */
const WELL_KNOWN_SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'x-auth-token',
]);

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((h) => h.toLowerCase() === name.toLowerCase());
}

/** The credentials of an Authorization value (`Bearer <this>`), caught also when echoed alone. */
function credentialsOf(value: string): string[] {
  const m = /^[A-Za-z][\w.+-]* +(\S.*)$/.exec(value);
  return m?.[1] ? [m[1]] : [];
}

/**
 * The request a job sends, its secrets opened, and every secret in it for the attempt's
 * redaction list: secret header values, the URL's secrets and the Basic credentials its
 * userinfo becomes. Throws SecretUnavailableError naming what this node cannot open.
 */
export function openHttp(stored: StoredHttp, box: SecretBox): { request: HttpRequest; secrets: string[] } {
  const headers = openMap(HEADERS, stored.headers, box);
  let full: string;
  try {
    full = stored.sealedUrl === undefined ? stored.url : box.open(URL_SEALED_AS, stored.sealedUrl);
  } catch (err) {
    throw new SecretUnavailableError(
      `the secrets of http.url cannot be opened on this node: ${(err as Error).message}`,
    );
  }
  const { url, basic } = splitCredentials(full);
  // A header the task sets itself wins over the URL's userinfo, as curl's -H does over -u.
  if (basic !== null && !hasHeader(headers, 'authorization')) headers['Authorization'] = `Basic ${basic}`;
  const headerSecrets = secretsOfMap(headers, stored.headers);
  const shownHeaders: Record<string, string> = emptyRecord();
  for (const [name, value] of Object.entries(headers)) {
    const plain =
      typeof ownValue(stored.headers, name) === 'string' && !WELL_KNOWN_SECRET_HEADERS.has(name.toLowerCase());
    shownHeaders[name] = plain ? value : SECRET_PLACEHOLDER;
  }
  return {
    request: {
      method: stored.method,
      url,
      shownUrl: redactUrl(full, stored.secretQuery),
      headers,
      shownHeaders,
      ...(stored.body !== undefined ? { body: stored.body } : {}),
    },
    secrets: [
      ...headerSecrets,
      ...headerSecrets.flatMap(credentialsOf),
      ...urlSecretValues(full, stored.secretQuery),
      ...(basic !== null ? [basic] : []),
    ],
  };
}

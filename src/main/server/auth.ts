import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { EVENTS_BEARER_PREFIX, EVENTS_PROTOCOL } from '../../shared/contract';

/**
 * Token, Host and Origin checks of the HTTP transport. Kept apart from the server so the
 * security-relevant parsing is small and easy to review.
 */

/**
 * Compares a presented token with the expected one in constant time. Both sides are hashed
 * first: timingSafeEqual needs equal-length buffers, and hashing makes them so without leaking
 * the expected token's length through an early length check.
 */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  // An empty expected token must never authorize anything, even an empty presented one.
  return timingSafeEqual(a, b) && expected.length > 0;
}

/** The token of an `Authorization: Bearer <token>` header, or null. The scheme is case-insensitive (RFC 7235). */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1] ?? null;
}

/** What a WebSocket upgrade presents to authenticate. Browsers cannot set an Authorization header on a WebSocket. */
export interface WebSocketCredentials {
  /** A `token` query parameter: refused whatever its value, because URLs end up in logs, proxies and history. */
  tokenInUrl: boolean;
  /** The tokens of the `bearer.<token>` subprotocols offered. */
  tokens: string[];
  /** Whether EVENTS_PROTOCOL was offered too, so there is a protocol to select that is not the token. */
  offersProtocol: boolean;
}

export function webSocketCredentials(url: string, headers: IncomingHttpHeaders): WebSocketCredentials {
  const queryStart = url.indexOf('?');
  const tokenInUrl = queryStart >= 0 && new URLSearchParams(url.slice(queryStart + 1)).has('token');
  const protocols = webSocketProtocols(headers);
  const tokens = protocols
    .filter((p) => p.startsWith(EVENTS_BEARER_PREFIX))
    .map((p) => p.slice(EVENTS_BEARER_PREFIX.length));
  return { tokenInUrl, tokens, offersProtocol: protocols.includes(EVENTS_PROTOCOL) };
}

function webSocketProtocols(headers: IncomingHttpHeaders): string[] {
  const raw = headers['sec-websocket-protocol'];
  if (raw === undefined) return [];
  return raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** A bare host[:port] Host header (a name, IPv4 or bracketed IPv6 literal): nothing a URL would reinterpret. */
const PLAIN_HOST_HEADER = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The origin of a page this node served in answer to a request with this Host header, serialized
 * the way browsers send it (lowercase, no default port); null when there is no usable Host. The
 * node speaks plain HTTP, so the scheme is always http.
 */
function ownOrigin(hostHeader: string | undefined): string | null {
  if (hostHeader === undefined || !PLAIN_HOST_HEADER.test(hostHeader)) return null;
  try {
    return new URL(`http://${hostHeader}`).origin;
  } catch {
    return null;
  }
}

export const FOREIGN_ORIGIN_MESSAGE =
  "origin not allowed: from a browser, only this node's own web UI (same scheme, host and port) may call it";

/**
 * The Origin check of the API and the event socket: a request that carries an Origin (every
 * browser WebSocket, and every browser POST) must come from the UI this node serves, i.e. its
 * Origin must be exactly `http://` + the Host it was sent to. Requests without one (curl,
 * scripts, Node clients) are left to the token alone. The token is never ambient, so this is not
 * about CSRF: it keeps a page elsewhere from using a token it got hold of from a visitor's browser.
 *
 * Exact, not "any loopback alias the Host check accepts": the UI's client always talks to the
 * host its page came from (location.host), so a page on http://localhost:7420 sends
 * `Origin: http://localhost:7420` to `Host: localhost:7420`. An Origin of another alias, or of
 * another port on the same machine, is another site as far as the browser is concerned, and so it
 * is here. `Origin: null` (sandboxed frames, file: pages) is never our UI either.
 */
export function originAllowed(headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  const own = ownOrigin(headers.host);
  return own !== null && origin === own;
}

/** True when the server is bound to a loopback address, where DNS rebinding is the threat. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return (
    h === 'localhost' ||
    h === '::1' ||
    h === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) ||
    /^::ffff:127\./.test(h)
  );
}

/** The host part of a Host header, lowercased, without port; IPv6 literals keep their brackets. */
export function hostnameOfHostHeader(hostHeader: string): string {
  let name: string;
  if (hostHeader.startsWith('[')) {
    const end = hostHeader.indexOf(']');
    name = end < 0 ? hostHeader : hostHeader.slice(0, end + 1);
  } else {
    const colon = hostHeader.indexOf(':');
    name = colon < 0 ? hostHeader : hostHeader.slice(0, colon);
  }
  // A trailing dot names the same host ("localhost." is localhost).
  return name.toLowerCase().replace(/\.$/, '');
}

/**
 * DNS-rebinding protection: when bound to loopback, only accept requests addressed to a
 * loopback name. A page on evil.example whose name was re-pointed at 127.0.0.1 sends
 * `Host: evil.example`, and is refused. Not applied when bound to other addresses, where the
 * token alone guards access and the Host can legitimately be any name of the machine.
 */
export function createHostCheck(boundHost: string): (hostHeader: string | undefined) => boolean {
  if (!isLoopbackHost(boundHost)) return () => true;
  const bound = boundHost.toLowerCase();
  const allowed = new Set([
    'localhost',
    '127.0.0.1',
    '[::1]',
    bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound,
  ]);
  return (hostHeader) => hostHeader !== undefined && allowed.has(hostnameOfHostHeader(hostHeader));
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Token and Host checks of the HTTP transport. Kept apart from the server so the
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

/** Prefix of the WebSocket subprotocol that carries the token (`bearer.<token>`). */
export const WS_BEARER_PREFIX = 'bearer.';

/**
 * Every token a WebSocket upgrade presents: `?token=` in the URL and/or a `bearer.<token>`
 * subprotocol. Browsers cannot set an Authorization header on a WebSocket, hence these two.
 */
export function webSocketTokens(url: string, headers: IncomingHttpHeaders): string[] {
  const tokens: string[] = [];
  const queryStart = url.indexOf('?');
  if (queryStart >= 0) {
    const query = new URLSearchParams(url.slice(queryStart + 1));
    for (const value of query.getAll('token')) tokens.push(value);
  }
  for (const protocol of webSocketProtocols(headers)) {
    if (protocol.startsWith(WS_BEARER_PREFIX)) tokens.push(protocol.slice(WS_BEARER_PREFIX.length));
  }
  return tokens;
}

function webSocketProtocols(headers: IncomingHttpHeaders): string[] {
  const raw = headers['sec-websocket-protocol'];
  if (raw === undefined) return [];
  return raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
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

import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * The security headers and the server's own answers (errors, plain text, refused upgrades); only
 * the files themselves are written by static-files.ts. Normal responses and a refused WebSocket
 * upgrade (which has no ServerResponse, only a raw socket) take their headers from the one list
 * below, so the two cannot drift apart again.
 */

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

/** Sent with every answer, API, static file or refused upgrade alike (not the bare 400 below). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Nothing here is meant to be framed; refuse clickjacking in browsers that ignore CSP.
  'X-Frame-Options': 'DENY',
};

/** Extra headers of one answer, such as Allow or WWW-Authenticate. */
type ExtraHeaders = Record<string, string>;

function errorBody(code: string, message: string): { ok: false; error: { code: string; message: string } } {
  return { ok: false, error: { code, message } };
}

/** Set first on every request, so that whichever code answers it, the headers are there. */
export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

function writeHead(res: ServerResponse, status: number, contentType: string, headers: ExtraHeaders): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', contentType);
}

/** Sends JSON that is already serialized, for callers that must catch a serialization failure themselves. */
export function sendJsonText(res: ServerResponse, status: number, text: string, headers: ExtraHeaders = {}): void {
  writeHead(res, status, JSON_TYPE, headers);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** Answers with the contract's error envelope `{ ok: false, error: { code, message } }`. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: ExtraHeaders = {},
): void {
  sendJsonText(res, status, JSON.stringify(errorBody(code, message)), headers);
}

/** A plain-text answer, for paths outside the API where a browser, not a client of the contract, is asking. */
export function sendText(res: ServerResponse, status: number, text: string, headers: ExtraHeaders = {}): void {
  writeHead(res, status, TEXT_TYPE, headers);
  res.end(text);
}

/** Writes a bare HTTP answer on a socket whose upgrade is refused, then closes it. */
export function rejectUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify(errorBody(code, message));
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    `Content-Type: ${JSON_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

/** Answers a request Node could not even parse: an empty 400, nothing of the request echoed. */
export function rejectMalformedRequest(socket: Duplex): void {
  if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  else socket.destroy();
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHttpClient } from '../../src/renderer/src/api-client';
import type { EventMessage } from '../../src/shared/contract';

/**
 * The browser client's event stream (api-client.ts): how it opens the WebSocket. What the server
 * makes of that handshake (Origin, subprotocol selection) is tested in server-event-socket.test.ts.
 */

/** RFC 7230 token characters: what a browser accepts as a subprotocol; it throws a SyntaxError otherwise. */
const SUBPROTOCOL = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Stands in for the browser's WebSocket: records how it was opened and lets the test deliver messages. */
class FakeWebSocket {
  static opened: FakeWebSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;

  constructor(
    readonly url: string,
    readonly protocols: string[] = [],
  ) {
    if (!protocols.every((p) => SUBPROTOCOL.test(p))) throw new DOMException('invalid subprotocol', 'SyntaxError');
    FakeWebSocket.opened.push(this);
  }

  close(): void {
    this.closed = true;
  }
}

const page = { protocol: 'http:', host: '127.0.0.1:7420' } as Location;
const TOKEN = 'browser-token-0123456789';

describe('browser client: the event socket', () => {
  beforeEach(() => {
    FakeWebSocket.opened = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('keeps the token out of the URL and offers it as the subprotocol pair; events reach the listener', () => {
    const received: EventMessage[] = [];
    const stop = createHttpClient(TOKEN, page).onEvent((message) => received.push(message));

    expect(FakeWebSocket.opened).toHaveLength(1);
    const socket = FakeWebSocket.opened[0]!;
    expect(socket.url).toBe('ws://127.0.0.1:7420/api/events');
    expect(socket.url).not.toContain(TOKEN);
    expect(socket.protocols).toEqual(['tickr', `bearer.${TOKEN}`]);

    const message: EventMessage = { event: 'queue.changed', data: { reason: 'test' } };
    socket.onopen?.();
    socket.onmessage?.({ data: JSON.stringify(message) } as MessageEvent);
    expect(received).toEqual([message]);

    stop();
    expect(socket.closed).toBe(true);
  });

  it('uses wss: on an https page', () => {
    createHttpClient(TOKEN, { protocol: 'https:', host: 'tickr.example' } as Location).onEvent(() => undefined)();
    expect(FakeWebSocket.opened[0]?.url).toBe('wss://tickr.example/api/events');
  });

  it('does not throw into the subscriber when the token cannot be a subprotocol', () => {
    // A mistyped #token= fragment; the server's own token is restricted to characters that can.
    const stop = createHttpClient('not a token/', page).onEvent(() => undefined);
    expect(FakeWebSocket.opened).toHaveLength(0);
    stop();
  });
});

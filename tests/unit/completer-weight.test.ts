import { describe, expect, it } from 'vitest';
import { resultChars } from '../../src/main/engine/execution/completer';
import type { FinishWrite } from '../../src/main/engine/store/jobs';
import type { HttpExchange } from '../../src/shared/types';

const finishedAt = new Date('2026-12-07T12:00:00Z');

function write(over: { logs?: string[]; http?: HttpExchange | null }): FinishWrite {
  return {
    id: '1',
    attempt: 1,
    token: 't',
    plan: { status: 'succeeded', dueAt: null },
    result: {
      outcome: 'succeeded',
      exitCode: null,
      signal: null,
      httpStatus: 200,
      error: null,
      finishedAt,
      http: over.http ?? null,
    },
    logs: (over.logs ?? []).map((text, i) => ({
      jobId: '1',
      seq: i + 1,
      attempt: 1,
      stream: 'stdout',
      at: finishedAt,
      text,
    })),
  };
}

describe("a result's weight in its completion group (completer.ts)", () => {
  it('counts its log text', () => {
    expect(resultChars(write({ logs: ['abc', 'de'] }))).toBe(5);
    expect(resultChars(write({}))).toBe(0);
  });

  it('counts its http exchange too: a hostile response of 100 long headers weighs what it carries into the query', () => {
    const responseHeaders: Record<string, string> = {};
    for (let i = 0; i < 100; i++) responseHeaders[`x-h${String(i).padStart(2, '0')}`] = 'v'.repeat(2_000);
    const http: HttpExchange = {
      method: 'GET',
      url: 'http://example.test/',
      requestHeaders: { accept: '*/*' },
      status: 200,
      statusText: 'OK',
      responseHeaders,
      ttfbMs: 1,
      totalMs: 2,
      bodyHead: 'b'.repeat(8_192),
      bodyTruncated: true,
      error: null,
    };
    // 64 such results would be 13 MB in one packet; by weight, a 2 MiB group holds 10 of them.
    expect(resultChars(write({ logs: ['abc'], http }))).toBe(3 + 20 + 8_192 + 'accept*/*'.length + 100 * (5 + 2_000));
  });
});

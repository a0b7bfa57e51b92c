import type { HttpExchange } from '../../../../../shared/types';
import { formatDuration } from '../outcome-words';

/** The body's head pretty-printed when it is JSON (whole, not cut), else as it came. */
export function prettyBody(x: Pick<HttpExchange, 'bodyHead' | 'bodyTruncated' | 'responseHeaders'>): {
  text: string;
  json: boolean;
} {
  const type = Object.entries(x.responseHeaders).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  const looksJson = /\bjson\b/i.test(type) || /^\s*[[{]/.test(x.bodyHead);
  if (looksJson && !x.bodyTruncated) {
    try {
      return { text: JSON.stringify(JSON.parse(x.bodyHead), null, 2), json: true };
    } catch {
      // Not JSON after all: shown as it came.
    }
  }
  return { text: x.bodyHead, json: false };
}

function Headers({ title, headers }: { title: string; headers: Record<string, string> }) {
  const entries = Object.entries(headers);
  return (
    <table className="header-table">
      <caption>{title}</caption>
      <tbody>
        {entries.length === 0 ? (
          <tr>
            <td className="muted">none</td>
          </tr>
        ) : (
          entries.map(([name, value]) => (
            <tr key={name}>
              <th scope="row">
                <code>{name}</code>
              </th>
              <td>
                <code>{value}</code>
              </td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

/** An http attempt's request and response: what was sent, what came back, how long it took. */
export function HttpInspector({ exchange }: { exchange: HttpExchange | null }) {
  if (exchange === null) return <p className="muted">No exchange recorded for this attempt yet.</p>;
  const body = prettyBody(exchange);
  const tone = exchange.status === null ? 'bad' : exchange.status < 400 ? 'ok' : 'bad';
  return (
    <div className="http-inspector" data-testid="http-inspector">
      <p className="http-request-line">
        <strong>{exchange.method}</strong> <code data-testid="http-url">{exchange.url}</code>
      </p>
      <dl className="facts-grid">
        <dt>Status</dt>
        <dd data-testid="http-status" className={`exit-text-${tone}`}>
          {exchange.status === null
            ? `no response${exchange.error ? `: ${exchange.error}` : ''}`
            : `${exchange.status} ${exchange.statusText ?? ''}`.trim()}
        </dd>
        <dt>Time to first byte</dt>
        <dd data-testid="http-ttfb">{exchange.ttfbMs === null ? '—' : formatDuration(exchange.ttfbMs)}</dd>
        <dt>Total</dt>
        <dd data-testid="http-total">{formatDuration(exchange.totalMs)}</dd>
      </dl>
      <div className="header-tables">
        <Headers title="Request headers" headers={exchange.requestHeaders} />
        <Headers title="Response headers" headers={exchange.responseHeaders} />
      </div>
      <h4>
        Response body{' '}
        <span className="muted">
          {body.json ? '(JSON, formatted)' : ''}
          {exchange.bodyTruncated ? '(its first 8 KiB)' : ''}
        </span>
      </h4>
      {exchange.bodyHead === '' ? (
        <p className="muted">empty</p>
      ) : (
        <pre className="log http-body" data-testid="http-body" tabIndex={0} aria-label="Response body">
          {body.text}
        </pre>
      )}
    </div>
  );
}

import type { AuthState } from './auth-slice';

/** Shown instead of the panels when the page has no usable API token (browser only). */
export function AuthNotice({ reason }: { reason: Exclude<AuthState, 'ok'> }) {
  return (
    <section className="panel auth-notice" data-testid="auth-required" data-reason={reason} role="alert">
      <h2>{reason === 'missing' ? 'No API token' : 'API token refused'}</h2>
      {reason === 'missing' ? (
        <p>This page needs the API token of the Tickr node.</p>
      ) : (
        <p>The node refused this page&apos;s token; it may have restarted with a new one.</p>
      )}
      <p>
        Open the address that <code>tickr serve</code> printed when it started: it ends with <code>#token=…</code>. With{' '}
        <code>TICKR_TOKEN</code> set, open <code>/#token=</code> followed by that token.
      </p>
    </section>
  );
}

import type { ConnectionTestResult } from '../../../../../shared/types';

const PROBLEM_TITLES: Record<NonNullable<ConnectionTestResult['problem']>['code'], string> = {
  BAD_SETTING: 'Setting not usable',
  NAME_NOT_RESOLVED: 'Name not resolved',
  REFUSED: 'Connection refused',
  TIMEOUT: 'Timed out',
  TLS_HANDSHAKE: 'TLS handshake failed',
  TLS_UNTRUSTED: 'Certificate not trusted',
  AUTH_FAILED: 'Authentication failed',
  MISSING_RIGHTS: 'Missing rights',
  TOO_OLD: 'Server too old',
  FAILED: 'Failed',
};

/** What a connection test found: the cause in a word and a sentence, or the version and any warnings. */
export function TestResult({ result }: { result: ConnectionTestResult }) {
  return (
    <div
      className={`test-result ${result.ok ? 'test-ok' : 'test-failed'}`}
      role="status"
      data-testid={`test-result-${result.service}`}
    >
      {result.ok ? (
        <p>
          <strong>Connected</strong> to{' '}
          {result.serverVersion === null ? 'the server' : `version ${result.serverVersion}`} in {result.tookMs} ms.
        </p>
      ) : (
        <p>
          <strong>{result.problem === null ? 'Failed' : PROBLEM_TITLES[result.problem.code]}:</strong>{' '}
          {result.problem?.message}
        </p>
      )}
      {result.warnings.length > 0 && (
        <ul className="test-warnings">
          {result.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

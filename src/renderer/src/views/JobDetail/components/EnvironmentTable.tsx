import type { AttemptEnvironment, EnvSource } from '../../../../../shared/types';
import { NodeName } from './NodeName';

const SOURCE_WORDS: Record<EnvSource, string> = {
  task: 'task',
  job: 'set by Tickr',
  inherited: 'passed on by the node',
};

/** A shell argv as one would type it: arguments with spaces or quotes in single quotes. */
export function shellLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/u.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/** What the attempt ran with, as captured when it started: command, cwd, node, version, variables. */
export function EnvironmentTable({ env }: { env: AttemptEnvironment | null }) {
  if (env === null) {
    return <p className="muted">Not captured: this attempt was started by a Tickr version that did not record it.</p>;
  }
  return (
    <div className="environment" data-testid="attempt-environment">
      <dl className="facts-grid">
        <dt>{env.type === 'http' ? 'Request' : 'Command as run'}</dt>
        <dd>
          <code data-testid="env-command">{env.type === 'http' ? env.argv.join(' ') : shellLine(env.argv)}</code>
        </dd>
        {env.cwd !== null && (
          <>
            <dt>Working directory</dt>
            <dd>
              <code>{env.cwd}</code>
            </dd>
          </>
        )}
        <dt>Node</dt>
        <dd>
          <NodeName id={env.nodeId} name={env.nodeName} />
        </dd>
        <dt>Tickr version</dt>
        <dd>{env.version}</dd>
      </dl>
      {env.env.length > 0 && (
        <table className="env-table">
          <caption className="muted">
            Environment variables. Secrets show as ***; the node&apos;s own are named, not valued.
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Value</th>
              <th scope="col">From</th>
            </tr>
          </thead>
          <tbody>
            {env.env.map((v) => (
              <tr key={`${v.source}:${v.name}`} data-testid="env-row" data-secret={v.secret ? 'true' : undefined}>
                <th scope="row">
                  <code>{v.name}</code>
                </th>
                <td>
                  {v.value === null ? (
                    <span className="muted">(not recorded)</span>
                  ) : (
                    <code className={v.secret ? 'secret-value' : undefined}>{v.value}</code>
                  )}
                </td>
                <td className="muted">{SOURCE_WORDS[v.source]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

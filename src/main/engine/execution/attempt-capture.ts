import type { AttemptEnvironment, EnvVariable, HttpExchange } from '../../../shared/types';
import { SECRET_PLACEHOLDER, redactUrl } from '../secrets/url-secrets';
import { redact } from '../secrets/redaction';
import type { TaskRecord } from '../store/tasks';
import { ENGINE_VERSION } from '../version';
import { userShell } from './workers/shell-executor';
import { inheritedFrom, jobVariables } from './workers/task-environment';

/**
 * What an attempt is captured with for the job page: its environment when it starts, its http
 * exchange when it ends. Both are built with their secrets already `***`, from what the engine
 * holds sealed (the environment needs no key at all), so nothing secret is written to MySQL or
 * returned by the API; the exchange is also redacted with the attempt's opened secrets, which
 * catches a server echoing one back.
 */

export interface CaptureNode {
  id: string;
  name: string;
}

/**
 * The environment of attempt `attempt` of job `jobId`: the same for "run now" and a scheduled run,
 * as both start through the claim. The task's own variables are shown with their values (the
 * task editor shows them too), its secrets as ***; the variables the node passes on from its own
 * environment (task-environment.ts) by name only, as their values are the node's, not the task's.
 */
export function captureEnvironment(
  record: TaskRecord | null,
  jobId: string,
  attempt: number,
  node: CaptureNode,
  parent: NodeJS.ProcessEnv = process.env,
): AttemptEnvironment | null {
  if (!record) return null;
  const t = record.task;
  const base = { type: t.type, nodeId: node.id, nodeName: node.name, version: ENGINE_VERSION };
  if (t.type === 'http') {
    const http = record.http;
    // The stored URL is the shown one whenever the real one has secrets (task-http.ts).
    const argv = http ? [http.method, redactUrl(http.url, http.secretQuery)] : [];
    return { ...base, argv, cwd: null, env: [] };
  }
  const shell = userShell();
  const own: EnvVariable[] = Object.entries(record.env).map(([name, v]) =>
    typeof v === 'string'
      ? { name, value: v, secret: false, source: 'task' }
      : { name, value: SECRET_PLACEHOLDER, secret: true, source: 'task' },
  );
  const job: EnvVariable[] = Object.entries(jobVariables(jobId, t.id, attempt)).map(([name, value]) => ({
    name,
    value,
    secret: false,
    source: 'job',
  }));
  const shadowed = new Set([...own, ...job].map((v) => v.name));
  const passedOn: EnvVariable[] = Object.keys(inheritedFrom(parent))
    .filter((name) => !shadowed.has(name))
    .sort()
    .map((name) => ({ name, value: null, secret: false, source: 'inherited' }));
  return {
    ...base,
    argv: [shell.file, ...shell.args(t.command ?? '')],
    // What spawn runs in without a cwd: this process's own.
    cwd: t.cwd ?? process.cwd(),
    env: [...own, ...job, ...passedOn],
  };
}

/** The exchange with every opened secret of the attempt replaced by ***, wherever it shows. */
export function redactExchange(exchange: HttpExchange, secrets: readonly string[]): HttpExchange {
  const text = (s: string): string => redact(s, secrets);
  const map = (m: Record<string, string>): Record<string, string> =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k, text(v)]));
  return {
    ...exchange,
    url: text(exchange.url),
    requestHeaders: map(exchange.requestHeaders),
    responseHeaders: map(exchange.responseHeaders),
    statusText: exchange.statusText === null ? null : text(exchange.statusText),
    bodyHead: text(exchange.bodyHead),
    error: exchange.error === null ? null : text(exchange.error),
  };
}

import { stat } from 'node:fs/promises';
import type { ExecutionContext, ExecutionResult, StopReason } from './types';
import { stopError, stopLogLine, stopOutcome, stopReason } from './types';
import { groupAlive, signalGroup, terminateGroup } from './process-group';
import { taskEnvironment } from './task-environment';
import { spawnHere } from './spawner/spawned-process';

export interface ShellSpec {
  command: string;
  cwd: string | null;
  /** The task's own variables; the rest of the environment is the user's ordinary one (task-environment.ts). */
  env: Record<string, string>;
}

/** How long stdout/stderr may stay open after the shell exits before stragglers are ended. */
const STRAGGLER_WAIT_MS = 1_000;

/** The shell a command runs in, and its arguments; the attempt's captured environment shows the same. */
export function userShell(): { file: string; args: (command: string) => string[] } {
  if (process.platform === 'win32') {
    return { file: process.env.ComSpec ?? 'cmd.exe', args: (c) => ['/d', '/s', '/c', c] };
  }
  return { file: process.env.SHELL || '/bin/sh', args: (c) => ['-c', c] };
}

function result(partial: Partial<ExecutionResult> & Pick<ExecutionResult, 'outcome'>): ExecutionResult {
  return { exitCode: null, signal: null, httpStatus: null, error: null, retryable: true, ...partial };
}

/**
 * Runs a command through the user's shell as the leader of a new process group, so a timeout or
 * a cancel can end the whole tree. The job is the group: when the shell exits, processes it left
 * behind are ended too, as systemd does with a unit's control group.
 */
export async function runShell(spec: ShellSpec, ctx: ExecutionContext): Promise<ExecutionResult> {
  if (spec.cwd) {
    const info = await stat(spec.cwd).catch(() => null);
    if (!info?.isDirectory()) {
      return result({ outcome: 'failed', error: `cwd: directory ${spec.cwd} does not exist`, retryable: false });
    }
  }
  if (ctx.stop.aborted) return result({ outcome: stopOutcome(ctx.stop.reason), error: 'stopped before start' });

  const shell = userShell();
  const child = (ctx.spawn ?? spawnHere)({
    file: shell.file,
    args: shell.args(spec.command),
    cwd: spec.cwd ?? undefined,
    env: taskEnvironment(process.env, spec.env),
    detached: process.platform !== 'win32',
  });
  // The pid is known once the process exists: at once when forked here, a moment later when the
  // spawner forked it (spawner-client.ts).
  const spawned = new Promise<void>((resolve) => {
    if (child.pid !== undefined) resolve();
    else child.once('spawn', () => resolve());
  });
  void spawned.then(() => ctx.onSpawn?.(child.pid!));

  return new Promise<ExecutionResult>((resolve) => {
    let timedOut = false;
    let stoppedBy: StopReason | null = null;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let spawnError: Error | null = null;
    let settled = false;

    // A stop that comes before the pid is known ends the group as soon as it is.
    const killTree = (): void => void spawned.then(() => terminateGroup(child, ctx.killGraceMs));

    const timeout = setTimeout(() => {
      timedOut = true;
      ctx.log.system(
        `timeout after ${ctx.timeoutMs} ms: sending SIGTERM to the process group, SIGKILL after ${ctx.killGraceMs} ms`,
      );
      killTree();
    }, ctx.timeoutMs);

    const onStop = (): void => {
      stoppedBy = stopReason(ctx.stop.reason);
      ctx.log.system(stopLogLine(stoppedBy));
      killTree();
    };
    ctx.stop.addEventListener('abort', onStop, { once: true });

    let stragglerTimer: NodeJS.Timeout | null = null;

    child.stdout.on('data', (d: Buffer) => ctx.log.write('stdout', d));
    child.stderr.on('data', (d: Buffer) => ctx.log.write('stderr', d));
    child.on('error', (err) => {
      spawnError = err;
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Something the shell started still holds the pipes open: end it, so the job ends.
      stragglerTimer = setTimeout(() => {
        ctx.log.system('the shell exited but processes it started kept running: ending the process group');
        killTree();
      }, STRAGGLER_WAIT_MS);
    });

    child.on('close', (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      if (stragglerTimer) clearTimeout(stragglerTimer);
      ctx.stop.removeEventListener('abort', onStop);
      const final = exit ?? { code, signal };
      // Pipes closed, but a detached straggler may still run with its output redirected.
      if (child.pid !== undefined && groupAlive(child.pid)) signalGroup(child, 'SIGKILL');

      if (spawnError) {
        resolve(result({ outcome: 'failed', error: `could not start ${shell.file}: ${spawnError.message}` }));
        return;
      }
      const exitCode = final.code;
      const signalName = final.signal;
      if (stoppedBy) {
        resolve(result({ outcome: stopOutcome(stoppedBy), exitCode, signal: signalName, error: stopError(stoppedBy) }));
      } else if (timedOut) {
        resolve(
          result({ outcome: 'timed_out', exitCode, signal: signalName, error: `timed out after ${ctx.timeoutMs} ms` }),
        );
      } else if (exitCode === 0) {
        resolve(result({ outcome: 'succeeded', exitCode: 0 }));
      } else {
        const why = exitCode !== null ? `exited with code ${exitCode}` : `killed by ${signalName ?? 'a signal'}`;
        resolve(result({ outcome: 'failed', exitCode, signal: signalName, error: why }));
      }
    });
  });
}

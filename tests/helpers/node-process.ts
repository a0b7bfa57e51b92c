import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface NodeProcess {
  child: ChildProcess;
  url: string;
  token: string;
  call<T = unknown>(method: string, input: unknown): Promise<T>;
  /** Everything the node wrote to stdout and stderr so far, from its first line (the soak reads it). */
  output(): string;
  /** SIGTERM (drain) and wait for the exit; SIGKILL after `ms`. */
  stop(ms?: number): Promise<void>;
  kill(): Promise<void>;
}

/**
 * Runs a real headless node (`node bin/tickr.js serve`, from the build) as a child process, so a
 * test can kill it with SIGKILL like a crash would.
 */
export async function spawnNode(env: Record<string, string>): Promise<NodeProcess> {
  if (!existsSync(path.join(ROOT, 'out/main/serve.js'))) throw new Error('no build: run `npm run build` first');
  const token = 'node-process-test-token-0123456789';
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/tickr.js'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, TICKR_PORT: '0', TICKR_TOKEN: token, TICKR_CONCURRENCY: '2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node did not start within 30 s:\n${output}`)), 30_000);
    const onData = (d: Buffer): void => {
      output += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`node exited with ${code}:\n${output}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    url,
    token,
    output: () => output,
    async call<T>(method: string, input: unknown): Promise<T> {
      const res = await fetch(`${url}/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as { ok: boolean; data?: T; error?: { code: string; message: string } };
      if (!body.ok) throw new Error(`${body.error?.code}: ${body.error?.message}`);
      return body.data as T;
    },
    async stop(ms = 20_000) {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (child.exitCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

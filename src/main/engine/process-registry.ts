import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The process groups this node's jobs run in, one small file each in `<data dir>/running`.
 * A job's group is detached, so it outlives a node killed with SIGKILL; at restart the node
 * reads these files and ends what its crash left running before it retries those jobs —
 * otherwise the old attempt and its retry would run side by side.
 */
export class ProcessRegistry {
  private readonly dir: string;
  /** Jobs with a pid file: an HTTP job has none, and removing nothing still costs syscalls. */
  private readonly files = new Set<string>();

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'running');
    mkdirSync(this.dir, { recursive: true });
  }

  add(jobId: string, pid: number): void {
    writeFileSync(path.join(this.dir, `${jobId}.pid`), String(pid));
    this.files.add(jobId);
  }

  remove(jobId: string): void {
    if (!this.files.delete(jobId)) return;
    rmSync(path.join(this.dir, `${jobId}.pid`), { force: true });
  }

  /** Ends every process group left by a previous run of this node; returns the job ids it found. */
  endLeftovers(): string[] {
    const ended: string[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.pid')) continue;
      const jobId = name.slice(0, -4);
      const pid = Number(readFileSync(path.join(this.dir, name), 'utf8'));
      if (Number.isInteger(pid) && pid > 1 && belongsToJob(pid, jobId)) {
        try {
          process.kill(-pid, 'SIGKILL');
          ended.push(jobId);
        } catch {
          // already gone
        }
      }
      rmSync(path.join(this.dir, name), { force: true });
    }
    return ended;
  }
}

/**
 * Guards against pid reuse: the process must still carry the job's id in its environment. On
 * systems without /proc the check cannot be made, and nothing is killed.
 */
function belongsToJob(pid: number, jobId: string): boolean {
  try {
    const environ = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
    return environ.includes(`TICKR_JOB_ID=${jobId}`);
  } catch {
    return false;
  }
}

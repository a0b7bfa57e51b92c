import type { Job, Task } from '../src/shared/types';
import type { SoakNode } from './cluster';
import type { Prng } from './prng';
import type { RunLog } from './run-log';
import { wrapCommand } from './side-effects';

export type Behaviour = 'ok' | 'flaky' | 'timeout' | 'cancel' | 'big' | 'secret' | 'http' | 'long';
type Overlap = 'skip' | 'queue' | 'allow';
type CatchUp = 'skip' | 'once' | 'all';

export interface SoakTask {
  id: string;
  name: string;
  behaviour: Behaviour;
  recurring: boolean;
  everyMs: number | null;
  overlap: Overlap;
  catchUp: CatchUp;
  /** The node a `this-node` task is pinned to (the node name), or null. */
  pinnedTo: string | null;
  nodeId: string | null;
}

export interface Workload {
  tasks: SoakTask[];
  /** Ids of the jobs the API accepted (runNow answered ok): each must have a row and an end. */
  acceptedJobs: Map<string, SoakTask>;
  /** Jobs the soak cancelled while they ran. */
  cancelled: Set<string>;
  /** The secret task's runs print the planted env secret: the logs must show it redacted. */
  secretTaskIds: string[];
}

interface TaskPlan {
  name: string;
  behaviour: Behaviour;
  everyMs: number | null;
  overlap: Overlap;
  catchUp: CatchUp;
  pinnedTo: string | null;
  input: Record<string, unknown>;
}

/** The shell work of each behaviour; a failing body exits before the E line. */
function body(behaviour: Behaviour, rand: Prng, everyMs: number | null): string {
  switch (behaviour) {
    case 'ok':
      // Recurring: sometimes longer than the interval, so overlap policies have work to do.
      return `sleep ${everyMs ? (everyMs * (0.2 + rand.next())) / 1000 : rand.int(5, 40) / 100}`;
    case 'flaky':
      return `sleep 0.${rand.int(1, 4)}; [ "$TICKR_ATTEMPT" -ge 2 ] || exit 3`;
    case 'timeout':
      return 'sleep 5';
    case 'cancel':
      return 'sleep 4';
    case 'long':
      // Outlasts a partition's fence (3.5 s) and a lease (5 s).
      return 'sleep 8';
    case 'big':
      // 2 MB of output in lines of 100 (the node caps what it keeps at logCapBytes).
      return "head -c 2097152 /dev/zero | tr '\\0' x | fold -w 100";
    case 'secret':
      return 'echo "the secret is $SOAK_SECRET"; sleep 0.1';
    case 'http':
      throw new Error('an http task has no shell body');
  }
}

function shellInput(p: Omit<TaskPlan, 'input'>, file: string, rand: Prng, secret: string): Record<string, unknown> {
  const input: Record<string, unknown> = {
    name: p.name,
    type: 'shell',
    command: wrapCommand(file, body(p.behaviour, rand, p.everyMs)),
    overlap: p.overlap,
    catchUp: p.catchUp,
    target: p.pinnedTo ? 'this-node' : 'any',
    maxAttempts: p.behaviour === 'timeout' ? 2 : 3,
    retryDelayMs: 200,
    timeoutMs: p.behaviour === 'timeout' ? 1_000 : 30_000,
  };
  if (p.behaviour === 'secret') input.env = { SOAK_SECRET: { value: secret, secret: true } };
  if (p.everyMs) input.schedule = { type: 'interval', everyMs: p.everyMs };
  else input.enabled = false; // a one-off task: its jobs come from tasks.runNow bursts
  return input;
}

function httpInput(p: Omit<TaskPlan, 'input'>, url: string, header: string): Record<string, unknown> {
  return {
    name: p.name,
    type: 'http',
    http: {
      method: 'GET',
      url: `${url}/stall/${p.name}`,
      headers: { 'X-Soak-Token': { value: header, secret: true } },
    },
    overlap: p.overlap,
    catchUp: p.catchUp,
    target: 'any',
    maxAttempts: 3,
    retryDelayMs: 200,
    timeoutMs: 1_500,
    ...(p.everyMs ? { schedule: { type: 'interval', everyMs: p.everyMs } } : { enabled: false }),
  };
}

/**
 * The seeded task mix: a recurring task for each overlap × catch-up pair (every 1–5 s, some
 * flaky, two pinned to a node), a recurring secret task and a recurring HTTP task, and the
 * one-off tasks the bursts run (ok, flaky, timeout, cancel, 2 MB of output, HTTP, pinned).
 */
export function planTasks(
  rand: Prng,
  opts: { file: string; httpUrl: string; envSecret: string; headerSecret: string; nodes: readonly string[] },
): TaskPlan[] {
  const plans: TaskPlan[] = [];
  const pinnedSlots = new Set(rand.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8]).slice(0, 2));
  let i = 0;
  for (const overlap of ['skip', 'queue', 'allow'] as const) {
    for (const catchUp of ['skip', 'once', 'all'] as const) {
      const pinnedTo = pinnedSlots.has(i) ? rand.pick(opts.nodes) : null;
      const behaviour: Behaviour = rand.chance(0.3) ? 'flaky' : 'ok';
      plans.push({
        name: `r${i}-${overlap}-${catchUp}${pinnedTo ? `-pinned-${pinnedTo}` : ''}-${behaviour}`,
        behaviour,
        everyMs: rand.int(1, 5) * 1000,
        overlap,
        catchUp,
        pinnedTo,
        input: {},
      });
      i += 1;
    }
  }
  plans.push({
    name: 'r-secret',
    behaviour: 'secret',
    everyMs: 3_000,
    overlap: 'skip',
    catchUp: 'once',
    pinnedTo: null,
    input: {},
  });
  plans.push({
    name: 'r-http',
    behaviour: 'http',
    everyMs: 2_000,
    overlap: 'skip',
    catchUp: 'once',
    pinnedTo: null,
    input: {},
  });
  for (const behaviour of ['ok', 'flaky', 'timeout', 'cancel', 'big', 'http', 'long'] as const) {
    plans.push({
      name: `once-${behaviour}`,
      behaviour,
      everyMs: null,
      overlap: 'allow',
      catchUp: 'once',
      pinnedTo: null,
      input: {},
    });
  }
  plans.push({
    name: `once-pinned-${rand.pick(opts.nodes)}`,
    behaviour: 'ok',
    everyMs: null,
    overlap: 'allow',
    catchUp: 'once',
    pinnedTo: null,
    input: {},
  });
  const last = plans[plans.length - 1]!;
  last.pinnedTo = last.name.slice('once-pinned-'.length);
  for (const p of plans) {
    p.input =
      p.behaviour === 'http'
        ? httpInput(p, opts.httpUrl, opts.headerSecret)
        : shellInput(p, opts.file, rand, opts.envSecret);
  }
  return plans;
}

/** Creates the planned tasks; a pinned task through its node, the rest through node a. */
export async function createTasks(plans: TaskPlan[], nodes: SoakNode[], log: RunLog): Promise<Workload> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const tasks: SoakTask[] = [];
  for (const p of plans) {
    const via = byName.get(p.pinnedTo ?? 'a')!;
    const task = await via.call<Task>('tasks.create', p.input);
    tasks.push({
      id: task.id,
      name: p.name,
      behaviour: p.behaviour,
      recurring: p.everyMs !== null,
      everyMs: p.everyMs,
      overlap: p.overlap,
      catchUp: p.catchUp,
      pinnedTo: p.pinnedTo,
      nodeId: task.nodeId,
    });
    log.event('task.created', { id: task.id, name: p.name, via: via.name });
  }
  return {
    tasks,
    acceptedJobs: new Map(),
    cancelled: new Set(),
    secretTaskIds: tasks.filter((t) => t.behaviour === 'secret').map((t) => t.id),
  };
}

/** The one-off behaviours a burst draws from, with their weights. */
const BURST_MIX: readonly (readonly [Behaviour | 'pinned', number])[] = [
  ['ok', 40],
  ['flaky', 20],
  ['timeout', 8],
  ['cancel', 8],
  ['big', 3],
  ['http', 13],
  ['pinned', 8],
];

function drawBehaviour(rand: Prng): Behaviour | 'pinned' {
  const total = BURST_MIX.reduce((s, [, w]) => s + w, 0);
  let x = rand.next() * total;
  for (const [b, w] of BURST_MIX) {
    x -= w;
    if (x < 0) return b;
  }
  return 'ok';
}

export interface Burst {
  atMs: number;
  /** The one-off task names, one per job. */
  jobs: string[];
  /** The node (name) the burst's calls go to, if it is up; else another. */
  via: string;
}

/** Bursts of 3–12 one-off jobs every 3–8 s, from 2 s until `untilMs`; at most one 2 MB job each. */
export function planBursts(rand: Prng, untilMs: number, nodes: readonly string[], pinnedName: string): Burst[] {
  const bursts: Burst[] = [];
  for (let at = 2_000; at < untilMs; at += rand.int(3_000, 8_000)) {
    const jobs: string[] = [];
    let big = false;
    for (let n = rand.int(3, 12); n > 0; n--) {
      let b = drawBehaviour(rand);
      if (b === 'big' && big) b = 'ok';
      big ||= b === 'big';
      jobs.push(b === 'pinned' ? pinnedName : `once-${b}`);
    }
    bursts.push({ atMs: at, jobs, via: rand.pick(nodes) });
  }
  return bursts;
}

function liveNode(nodes: SoakNode[], preferred: string): SoakNode | null {
  return nodes.find((n) => n.name === preferred && n.up) ?? nodes.find((n) => n.up) ?? null;
}

/** Sends one burst; calls that fail (node down, MySQL down) are logged and not counted. */
export async function sendBurst(burst: Burst, workload: Workload, nodes: SoakNode[], log: RunLog): Promise<void> {
  const byName = new Map(workload.tasks.map((t) => [t.name, t]));
  await Promise.all(
    burst.jobs.map(async (name) => {
      const task = byName.get(name)!;
      const node = liveNode(nodes, task.pinnedTo ?? burst.via);
      if (!node) return;
      try {
        const job = await node.call<Job>('tasks.runNow', { id: task.id });
        workload.acceptedJobs.set(job.id, task);
        log.event('job.accepted', { job: job.id, task: task.name, via: node.name });
        if (task.behaviour === 'cancel') void cancelWhenRunning(job.id, workload, nodes, log);
      } catch (err) {
        log.event('job.refused', { task: task.name, via: node.name, error: (err as Error).message });
      }
    }),
  );
}

/** Cancels a job once it runs (within 6 s), through whichever node is up. */
async function cancelWhenRunning(id: string, workload: Workload, nodes: SoakNode[], log: RunLog): Promise<void> {
  const deadline = Date.now() + 6_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const node = liveNode(nodes, 'a');
    if (!node) continue;
    try {
      const job = await node.call<Job>('jobs.get', { id });
      if (job.status !== 'running') {
        if (['succeeded', 'failed', 'cancelled', 'skipped'].includes(job.status)) return;
        continue;
      }
      await node.call<Job>('jobs.cancel', { id });
      workload.cancelled.add(id);
      log.event('job.cancel-requested', { job: id, via: node.name });
      return;
    } catch {
      // MySQL or the node is down for a moment: try again.
    }
  }
}

/**
 * Before a partition: long jobs sent through the node about to be cut off, until one of them runs
 * there (or 5 s pass), so that the cut finds work running on it and its fence has work to end.
 */
export async function longJobsOn(node: SoakNode, workload: Workload, nodes: SoakNode[], log: RunLog): Promise<void> {
  const task = workload.tasks.find((t) => t.behaviour === 'long')!;
  if (!node.up) return;
  let nodeId: string;
  try {
    nodeId = (await node.call<{ node: { id: string } }>('health.get', {})).node.id;
  } catch {
    return;
  }
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    try {
      const job = await node.call<Job>('tasks.runNow', { id: task.id });
      workload.acceptedJobs.set(job.id, task);
      ids.push(job.id);
    } catch (err) {
      log.event('job.refused', { task: task.name, via: node.name, error: (err as Error).message });
    }
  }
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    for (const id of ids) {
      const job = await node.call<Job>('jobs.get', { id }).catch(() => null);
      if (job?.status === 'running' && job.nodeId === nodeId) {
        log.event('partition.victim', { job: id, node: node.name });
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

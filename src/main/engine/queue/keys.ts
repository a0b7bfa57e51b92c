/**
 * Every Redis key and channel Tickr uses, derived from one prefix so that installations and
 * tests sharing a Redis never collide. Redis holds only ids and due times (invariant 1).
 */
export interface QueueKeys {
  prefix: string;
  /** Sorted set of job ids any node may run, scored by due time in ms. */
  waiting: string;
  /** List of due job ids any node may run. */
  ready: string;
  /** Ids pinned to one node (`this-node` tasks) wait and become ready in that node's own keys. */
  waitingFor(nodeId: string): string;
  readyFor(nodeId: string): string;
  /** Ids a node has taken and is claiming or running. */
  active(nodeId: string): string;
  activePattern: string;
  /** The generation marker: a copy of MySQL's, so a Redis that lost or rolled back state is caught. */
  generation: string;
  /** Pub/sub channel for wake-ups and cancel requests between nodes. */
  signals: string;
  /** Counts the nodes' successful MySQL probes, so a node cut off alone can tell (fencing.ts). */
  mysqlProbes: string;
}

export function queueKeys(prefix: string): QueueKeys {
  return {
    prefix,
    waiting: `${prefix}waiting`,
    ready: `${prefix}ready`,
    waitingFor: (nodeId) => `${prefix}waiting:${nodeId}`,
    readyFor: (nodeId) => `${prefix}ready:${nodeId}`,
    active: (nodeId) => `${prefix}active:${nodeId}`,
    activePattern: `${prefix}active:*`,
    generation: `${prefix}generation`,
    signals: `${prefix}signals`,
    mysqlProbes: `${prefix}mysql-probes`,
  };
}

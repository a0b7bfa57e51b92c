import type { JobFilter, JobStatus } from '../../../shared/schemas';
import type { Condition } from './paging';

/** A job filter as SQL: its conditions, and the index that serves them in id order (keyset paging). */
export interface FilterQuery {
  conditions: Condition[];
  index: string | undefined;
}

/**
 * Turns a filter (and, for bulk actions, the statuses the action applies to) into conditions.
 * Every filter combination is paired with an index ending in `id`, so a page reads about `limit`
 * index entries at any table size: an id is a primary-key lookup; a task, or a task and status,
 * or a status, or a node, each have their own index (see migrations). A time range alone walks
 * the primary key from the newest row, which is quick for recent ranges, the common case.
 */
export function filterQuery(filter: JobFilter, statuses?: readonly JobStatus[]): FilterQuery {
  const conditions: Condition[] = [];
  if (filter.id !== undefined) conditions.push(['id = ?', filter.id]);
  if (filter.taskId !== undefined) conditions.push(['task_id = ?', filter.taskId]);
  if (filter.status !== undefined) conditions.push(['status = ?', filter.status]);
  if (statuses !== undefined) conditions.push([`status IN (${statuses.map(() => '?').join(',')})`, ...statuses]);
  if (filter.nodeId !== undefined) conditions.push(['node_id = ?', filter.nodeId]);
  if (filter.from !== undefined) conditions.push(['scheduled_for >= ?', mysqlTime(filter.from)]);
  if (filter.to !== undefined) conditions.push(['scheduled_for <= ?', mysqlTime(filter.to)]);
  return { conditions, index: indexFor(filter) };
}

function indexFor(filter: JobFilter): string | undefined {
  if (filter.id !== undefined) return undefined;
  if (filter.taskId !== undefined) return filter.status !== undefined ? 'idx_jobs_task_status' : 'idx_jobs_task_id';
  if (filter.status !== undefined) return 'idx_jobs_status_id';
  if (filter.nodeId !== undefined) return 'idx_jobs_node_id';
  return undefined;
}

/** DATETIME(3) in UTC, the sessions' zone (store/db.ts), from an ISO string with any offset. */
function mysqlTime(isoTime: string): string {
  return new Date(isoTime).toISOString().replace('T', ' ').replace('Z', '');
}

import { idSchema, isoDateSchema, JOB_STATUSES, nodeIdSchema, type JobFilter } from '../../../../shared/schemas';

/**
 * The Jobs view's filter in the URL: `#/jobs?task=3&status=failed&node=…&from=…&to=…&job=12`, so a
 * filtered history survives a reload and can be linked. Pure. A parameter the engine would refuse
 * (an unknown name, a malformed value, a range out of order) is dropped rather than sent, and the
 * address bar is rewritten without it (routes.ts), so a link can never put the list in error.
 */

/** URL names, in the order the canonical fragment writes them. */
const PARAMS = [
  ['task', 'taskId'],
  ['status', 'status'],
  ['node', 'nodeId'],
  ['from', 'from'],
  ['to', 'to'],
  ['job', 'id'],
] as const satisfies readonly (readonly [string, keyof JobFilter])[];

const STATUS_SET: ReadonlySet<string> = new Set(JOB_STATUSES);

function valid(field: keyof JobFilter, value: string): boolean {
  switch (field) {
    case 'id':
    case 'taskId':
      return idSchema.safeParse(value).success;
    case 'status':
      return STATUS_SET.has(value);
    case 'nodeId':
      return nodeIdSchema.safeParse(value).success;
    case 'from':
    case 'to':
      return isoDateSchema.safeParse(value).success;
  }
}

/** Reads the part after `?`; keeps only what jobs.list accepts. */
export function paramsToFilter(search: string): JobFilter {
  const params = new URLSearchParams(search);
  const filter: Record<string, string> = {};
  for (const [name, field] of PARAMS) {
    const value = params.get(name);
    if (value !== null && valid(field, value)) filter[field] = value;
  }
  const result = filter as JobFilter;
  if (result.from !== undefined && result.to !== undefined && Date.parse(result.from) > Date.parse(result.to))
    delete result.to;
  return result;
}

/** The canonical query (no leading `?`), empty for no filter. */
export function filterToParams(filter: JobFilter): string {
  const params = new URLSearchParams();
  for (const [name, field] of PARAMS) {
    const value = filter[field];
    if (value !== undefined && value !== '') params.set(name, value);
  }
  return params.toString();
}

/** Whether two filters ask for the same jobs. */
export function sameFilter(a: JobFilter | undefined, b: JobFilter | undefined): boolean {
  return filterToParams(a ?? {}) === filterToParams(b ?? {});
}

export function isEmptyFilter(filter: JobFilter | undefined): boolean {
  return filterToParams(filter ?? {}) === '';
}

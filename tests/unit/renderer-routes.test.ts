import { describe, expect, it } from 'vitest';
import { HOME, readHash, routeHash, sameRoute, VIEWS, type Route } from '../../src/renderer/src/app/routing/routes';

/** The URL's fragment ↔ the page's route (app/routing/routes.ts), without a window. */

describe('routes in the URL fragment', () => {
  const routes: Route[] = [
    ...VIEWS.map((view) => ({ view, id: null })),
    { view: 'jobs', id: '12' },
    { view: 'tasks', id: '4' },
    { view: 'jobs', id: '12', line: 40 },
    { view: 'jobs', id: null, filter: { taskId: '3', status: 'failed' } },
    {
      view: 'jobs',
      id: null,
      filter: {
        taskId: '3',
        status: 'waiting',
        nodeId: 'node-1234-abcd',
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-01-02T00:00:00.000Z',
        id: '77',
      },
    },
  ];

  it.each(routes.map((route) => [routeHash(route), route] as const))(
    '%s reads back as the route it was made from',
    (hash, route) => {
      expect(readHash(hash)).toEqual({ route, replaceWith: null });
    },
  );

  it('writes a view as #/<view> and one job as #/jobs/<id>', () => {
    expect(routeHash({ view: 'dashboard', id: null })).toBe('#/dashboard');
    expect(routeHash({ view: 'jobs', id: '9007199254740993' })).toBe('#/jobs/9007199254740993');
  });

  it('writes a log line of a job as #/jobs/<id>/line/<n>', () => {
    expect(routeHash({ view: 'jobs', id: '7', line: 1200 })).toBe('#/jobs/7/line/1200');
  });

  it('shows the dashboard for an empty fragment and leaves the address bar as it is', () => {
    expect(readHash('')).toEqual({ route: HOME, replaceWith: null });
    expect(readHash('#')).toEqual({ route: HOME, replaceWith: null });
  });

  it.each([
    '#/nowhere',
    '#/',
    '#/queues/3',
    '#/jobs/12/log',
    '#/jobs/a%2Fb',
    '#/jobs/%E0',
    '#/Jobs',
    '#/jobs/12/line/0',
    '#/jobs/12/line/-1',
    '#/jobs/12/line/1e3',
    '#/jobs/12/line/',
    '#/jobs/12/line/3/4',
    '#/tasks/4/line/3',
  ])('falls back to the dashboard for the unknown route %s, and says so in the address bar', (hash) => {
    expect(readHash(hash)).toEqual({ route: HOME, replaceWith: '#/dashboard' });
  });

  it('takes a trailing slash, writing the fragment without it', () => {
    expect(readHash('#/jobs/12/')).toEqual({ route: { view: 'jobs', id: '12' }, replaceWith: '#/jobs/12' });
  });

  it('writes the history filter as a query on #/jobs, in one order, and leaves it out when empty', () => {
    expect(routeHash({ view: 'jobs', id: null, filter: { status: 'failed', taskId: '3' } })).toBe(
      '#/jobs?task=3&status=failed',
    );
    expect(routeHash({ view: 'jobs', id: null, filter: {} })).toBe('#/jobs');
    expect(routeHash({ view: 'jobs', id: null, filter: { from: '2026-01-01T00:00:00+02:00' } })).toBe(
      '#/jobs?from=2026-01-01T00%3A00%3A00%2B02%3A00',
    );
    expect(readHash('#/jobs?from=2026-01-01T00%3A00%3A00%2B02%3A00').route.filter).toEqual({
      from: '2026-01-01T00:00:00+02:00',
    });
  });

  it('reads a filter written in another order and puts the canonical one in the address bar', () => {
    expect(readHash('#/jobs?status=failed&task=3')).toEqual({
      route: { view: 'jobs', id: null, filter: { taskId: '3', status: 'failed' } },
      replaceWith: '#/jobs?task=3&status=failed',
    });
  });

  it.each([
    ['#/jobs?status=broken', '#/jobs'],
    ['#/jobs?task=abc&status=failed', '#/jobs?status=failed'],
    ['#/jobs?job=0', '#/jobs'],
    ['#/jobs?node=x', '#/jobs'],
    ['#/jobs?from=yesterday', '#/jobs'],
    ['#/jobs?colour=red&task=4', '#/jobs?task=4'],
    ['#/jobs?', '#/jobs'],
    // A range out of order keeps its start: the list the link shows is never in error.
    ['#/jobs?from=2026-02-01T00%3A00%3A00Z&to=2026-01-01T00%3A00%3A00Z', '#/jobs?from=2026-02-01T00%3A00%3A00Z'],
  ])('drops what jobs.list would refuse: %s becomes %s', (hash, canonical) => {
    expect(readHash(hash).replaceWith).toBe(canonical);
    expect(readHash(hash).route.view).toBe('jobs');
  });

  it('takes no filter on a job or another view: the query is dropped', () => {
    expect(readHash('#/jobs/12?task=3')).toEqual({ route: { view: 'jobs', id: '12' }, replaceWith: '#/jobs/12' });
    expect(readHash('#/jobs/12/line/4?task=3').route).toEqual({ view: 'jobs', id: '12', line: 4 });
    expect(readHash('#/tasks?task=3')).toEqual({ route: { view: 'tasks', id: null }, replaceWith: '#/tasks' });
    expect(routeHash({ view: 'tasks', id: null, filter: { taskId: '3' } })).toBe('#/tasks');
  });

  it('tells filters apart in sameRoute, whatever their order', () => {
    const a: Route = { view: 'jobs', id: null, filter: { taskId: '3', status: 'failed' } };
    expect(sameRoute(a, { view: 'jobs', id: null, filter: { status: 'failed', taskId: '3' } })).toBe(true);
    expect(sameRoute(a, { view: 'jobs', id: null, filter: { taskId: '3' } })).toBe(false);
    expect(sameRoute({ view: 'jobs', id: null }, { view: 'jobs', id: null, filter: {} })).toBe(true);
  });

  it('never rewrites a fragment that is not a route, such as the #token= the browser client takes', () => {
    expect(readHash('#token=abc')).toEqual({ route: HOME, replaceWith: null });
    expect(readHash('#main')).toEqual({ route: HOME, replaceWith: null });
  });
});

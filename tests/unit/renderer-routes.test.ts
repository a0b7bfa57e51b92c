import { describe, expect, it } from 'vitest';
import { HOME, readHash, routeHash, VIEWS, type Route } from '../../src/renderer/src/app/routing/routes';

/** The URL's fragment ↔ the page's route (app/routing/routes.ts), without a window. */

describe('routes in the URL fragment', () => {
  const routes: Route[] = [
    ...VIEWS.map((view) => ({ view, id: null })),
    { view: 'jobs', id: '12' },
    { view: 'tasks', id: '4' },
    { view: 'jobs', id: '12', line: 40 },
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

  it('never rewrites a fragment that is not a route, such as the #token= the browser client takes', () => {
    expect(readHash('#token=abc')).toEqual({ route: HOME, replaceWith: null });
    expect(readHash('#main')).toEqual({ route: HOME, replaceWith: null });
  });
});

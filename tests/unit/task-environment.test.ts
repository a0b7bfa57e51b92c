import { describe, expect, it } from 'vitest';
import { taskEnvironment } from '../../src/main/engine/execution/workers/task-environment';

/** What a shell task inherits from the node: the user's ordinary environment, none of Tickr's. */
describe('a shell task’s environment', () => {
  const node = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: '/home/ada',
    USER: 'ada',
    LANG: 'en_GB.UTF-8',
    LC_TIME: 'de_DE.UTF-8',
    TZ: 'Europe/Berlin',
    TMPDIR: '/tmp',
    TICKR_TOKEN: 'node-api-token-0123456789',
    TICKR_MYSQL_URL: 'mysql://root:hunter2@db:3306/tickr',
    TICKR_SECRET_KEY: 'c2VjcmV0LWtleS1vZi10aGUtbm9kZS0wMTIzNDU2Nzg5',
    AWS_SECRET_ACCESS_KEY: 'from-the-service-manager',
    NODE_OPTIONS: '--inspect',
    ELECTRON_RUN_AS_NODE: '1',
  };

  it('keeps the ordinary variables: programs, user, home, locale, zone, temp dir', () => {
    const env = taskEnvironment(node, {});
    expect(env).toEqual({
      PATH: node.PATH,
      HOME: node.HOME,
      USER: node.USER,
      LANG: node.LANG,
      LC_TIME: node.LC_TIME,
      TZ: node.TZ,
      TMPDIR: node.TMPDIR,
    });
  });

  it('passes none of Tickr’s configuration or secrets, nor anything else of the node’s', () => {
    const env = taskEnvironment(node, {});
    const text = JSON.stringify(env);
    for (const leaked of ['TICKR_', 'hunter2', 'node-api-token', 'from-the-service-manager', '--inspect']) {
      expect(text).not.toContain(leaked);
    }
  });

  it('gives the task’s own variables, over the inherited ones', () => {
    const env = taskEnvironment(node, { PATH: '/opt/task/bin', GREETING: 'hello' });
    expect(env.PATH).toBe('/opt/task/bin');
    expect(env.GREETING).toBe('hello');
  });

  it('lets a task set a TICKR_ variable of its own (the engine sets TICKR_JOB_ID this way)', () => {
    expect(taskEnvironment(node, { TICKR_JOB_ID: '7' }).TICKR_JOB_ID).toBe('7');
  });
});

import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILD_OUTPUTS, buildDecision, installDecision } from '../../scripts/setup.mjs';

/**
 * The staleness decisions behind `npm start` and `npm test` on a fresh or an old checkout, in a
 * scratch folder whose files get explicit modification times.
 */

let root = '';
const T0 = new Date('2026-01-01T00:00:00Z');
const later = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

function file(path: string, mtime: Date = T0): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, '');
  utimesSync(full, mtime, mtime);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tickr-setup-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('install decision', () => {
  it('installs on a fresh clone (no node_modules)', () => {
    file('package-lock.json');
    expect(installDecision(root)).toEqual({ needed: true, reason: 'node_modules is missing' });
  });

  it('installs when an install never completed (no node_modules/.package-lock.json)', () => {
    file('package-lock.json');
    file('node_modules/ws/index.js');
    expect(installDecision(root)).toMatchObject({
      needed: true,
      reason: expect.stringContaining('.package-lock.json'),
    });
  });

  it('installs when package-lock.json changed after the last install', () => {
    file('node_modules/.package-lock.json', T0);
    file('package-lock.json', later(60));
    expect(installDecision(root)).toMatchObject({ needed: true, reason: expect.stringContaining('newer') });
  });

  it('does not install when the install is newer than the lock', () => {
    file('package-lock.json', T0);
    file('node_modules/.package-lock.json', later(5));
    expect(installDecision(root).needed).toBe(false);
  });
});

describe('build decision', () => {
  function build(mtime: Date): void {
    for (const output of BUILD_OUTPUTS) file(output, mtime);
  }

  it('builds when there is no build', () => {
    file('src/main/index.ts');
    expect(buildDecision(root)).toEqual({ needed: true, reason: 'out/main/index.js is missing' });
  });

  it('builds when one output is missing', () => {
    build(later(10));
    rmSync(join(root, 'out/preload/index.cjs'));
    expect(buildDecision(root)).toMatchObject({ needed: true, reason: 'out/preload/index.cjs is missing' });
  });

  it('builds when a source deep in src/ is newer than the oldest output, and names it', () => {
    file('src/main/index.ts', T0);
    build(later(10));
    file('out/main/index.js', later(5));
    file('src/renderer/src/views/Tasks/index.tsx', later(7));
    expect(buildDecision(root)).toEqual({
      needed: true,
      reason: `${join('src/renderer/src/views/Tasks/index.tsx')} is newer than out/main/index.js`,
    });
  });

  it('builds when the build configuration changed', () => {
    file('src/main/index.ts', T0);
    build(later(10));
    file('electron.vite.config.ts', later(20));
    expect(buildDecision(root)).toMatchObject({
      needed: true,
      reason: expect.stringContaining('electron.vite.config.ts'),
    });
  });

  it('does not build when every output is newer than every source', () => {
    file('src/main/index.ts', T0);
    file('package.json', T0);
    file('tests/unit/x.test.ts', later(30)); // tests are not part of the build
    build(later(10));
    expect(buildDecision(root)).toEqual({ needed: false, reason: 'the build is up to date' });
  });
});

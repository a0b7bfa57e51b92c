import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Backoff } from '../../src/main/services/backoff';
import { findBinary } from '../../src/main/services/binaries';
import { installHint, installHintLines } from '../../src/main/services/install-hints';
import { decideManage, isLocalDefault } from '../../src/main/services/local-default';
import { readPidFile, writePidFile } from '../../src/main/services/pid-file';
import { tempDir } from '../helpers/services';

describe('isLocalDefault', () => {
  it('accepts the out-of-the-box URLs, by 127.0.0.1 or localhost, with or without the port', () => {
    expect(isLocalDefault('redis', 'redis://127.0.0.1:6379')).toBe(true);
    expect(isLocalDefault('redis', 'redis://localhost')).toBe(true);
    expect(isLocalDefault('mysql', 'mysql://root@127.0.0.1:3306/tickr')).toBe(true);
    expect(isLocalDefault('mysql', 'mysql://root@localhost/tickr')).toBe(true);
  });

  it('refuses anything configured on purpose: another host, port, TLS, a password, another user', () => {
    expect(isLocalDefault('redis', 'redis://10.0.0.5:6379')).toBe(false);
    expect(isLocalDefault('redis', 'redis://127.0.0.1:6380')).toBe(false);
    expect(isLocalDefault('redis', 'rediss://127.0.0.1:6379')).toBe(false);
    expect(isLocalDefault('redis', 'redis://:secret@127.0.0.1:6379')).toBe(false);
    expect(isLocalDefault('mysql', 'mysql://root:pw@127.0.0.1:3306/tickr')).toBe(false);
    expect(isLocalDefault('mysql', 'mysql://tickr@127.0.0.1:3306/tickr')).toBe(false);
    expect(isLocalDefault('mysql', 'redis://127.0.0.1:3306')).toBe(false);
    expect(isLocalDefault('mysql', 'not a url')).toBe(false);
  });

  it('compares with the injected default ports, so a test can stand in for 6379 and 3306', () => {
    const ports = { redis: 41000, mysql: 41001 };
    expect(isLocalDefault('redis', 'redis://127.0.0.1:41000', ports)).toBe(true);
    expect(isLocalDefault('redis', 'redis://127.0.0.1:6379', ports)).toBe(false);
    expect(isLocalDefault('mysql', 'mysql://root@127.0.0.1:41001/t', ports)).toBe(true);
    // Without a port in the URL the protocol's own default applies, which is not the injected one.
    expect(isLocalDefault('redis', 'redis://127.0.0.1', ports)).toBe(false);
  });
});

describe('decideManage', () => {
  const base = {
    service: 'redis' as const,
    url: 'redis://127.0.0.1:6379',
    answers: false,
    binary: '/usr/bin/redis-server',
  };

  it('manages the local default when nothing answers and the server is installed', () => {
    expect(decideManage(base)).toEqual({ manage: true });
  });

  it('leaves a server that answers alone: the one the user runs wins', () => {
    expect(decideManage({ ...base, answers: true })).toEqual({ manage: false, reason: 'already-answering' });
  });

  it('reports a missing binary, so the caller can show what to install', () => {
    expect(decideManage({ ...base, binary: null })).toEqual({ manage: false, reason: 'no-binary' });
  });

  it('never manages a URL that is not the local default, even with nothing answering there', () => {
    expect(decideManage({ ...base, url: 'redis://127.0.0.1:7000' })).toEqual({
      manage: false,
      reason: 'not-local-default',
    });
  });
});

describe('Backoff', () => {
  it('doubles from 0.5 s up to 30 s while the server keeps dying young', () => {
    const b = new Backoff();
    expect(Array.from({ length: 9 }, () => b.next(1_000))).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('starts over after a minute up', () => {
    const b = new Backoff();
    for (let i = 0; i < 5; i++) b.next(0);
    expect(b.next(59_999)).toBe(16_000);
    expect(b.next(60_000)).toBe(500);
    expect(b.next(0)).toBe(1_000);
  });

  it('refuses options that cannot make a back-off, naming the field', () => {
    expect(() => new Backoff({ initialMs: 0, maxMs: 10, resetAfterMs: 10 })).toThrow(/initialMs/);
    expect(() => new Backoff({ initialMs: 100, maxMs: 10, resetAfterMs: 10 })).toThrow(/maxMs/);
  });
});

describe('installHint', () => {
  it('gives apt and dnf lines on Linux, brew on macOS, winget on Windows', () => {
    expect(installHint('mysql', 'linux').commands.join('\n')).toMatch(/apt install mariadb-server[\s\S]*dnf install/);
    expect(installHint('redis', 'linux').commands.join('\n')).toMatch(/apt install redis-server/);
    expect(installHint('redis', 'darwin').commands).toEqual(['brew install redis']);
    expect(installHint('mysql', 'darwin').commands).toEqual(['brew install mariadb']);
    expect(installHint('mysql', 'win32').commands[0]).toMatch(/^winget install /);
    expect(installHint('redis', 'win32').commands[0]).toMatch(/^winget install /);
  });

  it('treats other Unixes as Linux and always says how to use a remote server instead', () => {
    expect(installHint('redis', 'freebsd').commands).toEqual(installHint('redis', 'linux').commands);
    expect(installHint('mysql', 'linux').remote).toMatch(/--mysql-url/);
    expect(installHint('redis', 'win32').remote).toMatch(/--redis-url/);
  });

  it('renders as terminal lines: summary, indented commands, the remote option', () => {
    const lines = installHintLines('redis', 'darwin');
    expect(lines[0]).toMatch(/Redis is not running/);
    expect(lines[1]).toBe('  brew install redis');
    expect(lines.at(-1)).toMatch(/point Tickr at a Redis elsewhere/);
  });
});

describe('findBinary and the pid file', () => {
  const dir = tempDir('tickr-bin');
  afterAll(() => dir.remove());

  it('finds an executable on PATH, in order of the names given, and ignores non-executables', () => {
    const bin = path.join(dir.path, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'mysqld'), '#!/bin/sh\n');
    chmodSync(path.join(bin, 'mysqld'), 0o755);
    writeFileSync(path.join(bin, 'mariadbd'), 'not executable');
    chmodSync(path.join(bin, 'mariadbd'), 0o644);
    expect(findBinary(['mariadbd', 'mysqld'], { PATH: bin }, 'linux', [])).toBe(path.join(bin, 'mysqld'));
    expect(findBinary(['tickr-no-such-server'], { PATH: bin })).toBeNull();
    // The usual sbin folders count too: a user's PATH often lacks /usr/sbin, where Debian puts mariadbd.
    const sbin = path.join(dir.path, 'sbin');
    mkdirSync(sbin);
    writeFileSync(path.join(sbin, 'mariadbd'), '#!/bin/sh\n');
    chmodSync(path.join(sbin, 'mariadbd'), 0o755);
    expect(findBinary(['mariadbd'], { PATH: bin }, 'linux', [sbin])).toBe(path.join(sbin, 'mariadbd'));
  });

  it('reads back what it wrote and rejects a damaged file', () => {
    const file = path.join(dir.path, 'x.pid');
    writePidFile(file, { pid: 4242, markers: ['/data/mariadb/data'] });
    expect(readPidFile(file)).toEqual({ pid: 4242, markers: ['/data/mariadb/data'] });
    writeFileSync(file, '{"pid":1,"markers":["x"]}');
    expect(readPidFile(file)).toBeNull();
    writeFileSync(file, '{"pid":4242,"markers":[]}');
    expect(readPidFile(file)).toBeNull();
    writeFileSync(file, 'garbage');
    expect(readPidFile(file)).toBeNull();
  });
});

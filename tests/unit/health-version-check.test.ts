import { describe, expect, it } from 'vitest';
import { evictionWarning } from '../../src/main/engine/health/connection-test';
import { compareVersions, mysqlKind, tooOld, versionParts } from '../../src/main/engine/health/version-check';

describe('server version check', () => {
  it('reads the numeric parts of a version string', () => {
    expect(versionParts('10.11.6-MariaDB-0+deb12u1')).toEqual([10, 11, 6]);
    expect(versionParts('8.0')).toEqual([8, 0, 0]);
    expect(versionParts('unknown')).toBeNull();
  });

  it('compares part by part as numbers, not as text', () => {
    expect(compareVersions([10, 11, 0], [10, 6, 0])).toBeGreaterThan(0);
    expect(compareVersions([6, 2, 0], [6, 2, 0])).toBe(0);
    expect(compareVersions([6, 0, 16], [6, 2, 0])).toBeLessThan(0);
  });

  it('accepts the oldest supported servers and refuses older ones', () => {
    expect(tooOld('redis', '6.2.0')).toBeNull();
    expect(tooOld('redis', '7.2.4')).toBeNull();
    expect(tooOld('redis', '6.0.16')).toBe('Redis 6.0.16 is too old: Tickr needs Redis 6.2 or newer');
    expect(tooOld('mysql', '8.0.36')).toBeNull();
    expect(tooOld('mysql', '5.7.44')).toMatch(/MySQL 5\.7\.44 is too old/);
    expect(tooOld('mariadb', '10.6.16-MariaDB')).toBeNull();
    expect(tooOld('mariadb', '10.5.23-MariaDB')).toMatch(/MariaDB 10\.5\.23 is too old: Tickr needs MariaDB 10\.6/);
    // A MariaDB behind an old replication prefix is judged by its own version.
    expect(tooOld('mariadb', '5.5.5-10.11.6-MariaDB')).toBeNull();
  });

  it('tells MariaDB from MySQL by its version string', () => {
    expect(mysqlKind('10.11.6-MariaDB')).toBe('mariadb');
    expect(mysqlKind('8.0.36')).toBe('mysql');
  });

  it('warns about allkeys-* eviction, not about noeviction or volatile-*', () => {
    expect(evictionWarning('noeviction')).toBeNull();
    expect(evictionWarning('volatile-lru')).toBeNull();
    expect(evictionWarning('allkeys-lru')).toMatch(/may evict/);
    expect(evictionWarning(null)).toMatch(/could not read/);
  });
});

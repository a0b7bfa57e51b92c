import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/engine/config';
import { cutoffs, policyFromConfig } from '../../src/main/engine/retention/policy';
import { TickrError } from '../../src/shared/errors';
import { retentionPolicySchema, retentionSetSchema } from '../../src/shared/schemas';
import { parseInput } from '../../src/shared/validate';
import { tempDir } from '../helpers/services';

const refusal = (input: unknown): string => {
  try {
    parseInput(retentionSetSchema, input);
  } catch (err) {
    expect(err).toBeInstanceOf(TickrError);
    expect((err as TickrError).code).toBe('BAD_INPUT');
    return (err as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
};

describe('retention policy: the schema of retention.set', () => {
  it('takes any subset of the fields, and nothing is required', () => {
    expect(parseInput(retentionSetSchema, {})).toEqual({});
    expect(parseInput(retentionSetSchema, { keepDays: 90, eventDays: 14 })).toEqual({ keepDays: 90, eventDays: 14 });
    expect(
      retentionPolicySchema.safeParse({ keepDays: 30, maxJobsPerTask: 10_000, succeededLogDays: 7, eventDays: 30 })
        .success,
    ).toBe(true);
  });

  it('refuses a bad value with the field and the rule', () => {
    expect(refusal({ keepDays: 0 })).toBe('keepDays: must be at least 1');
    expect(refusal({ keepDays: 3651 })).toBe('keepDays: must be at most 3650');
    expect(refusal({ maxJobsPerTask: 1.5 })).toBe('maxJobsPerTask: must be a whole number');
    expect(refusal({ succeededLogDays: '7' })).toMatch(/^succeededLogDays: /);
    expect(refusal({ eventDays: -1 })).toBe('eventDays: must be at least 1');
    expect(refusal({ eventDays: null })).toMatch(/^eventDays: /);
  });

  it('refuses a field it does not know (no silent typo)', () => {
    expect(refusal({ keepDay: 3 })).toMatch(/keepDay/);
  });
});

describe('retention policy: from the configuration', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
  const dataDir = (): string => {
    const d = tempDir('tickr-retention-config');
    dirs.push(d);
    return d.path;
  };

  it('defaults to 30 days, 10,000 jobs per task, succeeded logs for 7 days, events for 30 days', () => {
    const c = loadConfig({ env: {}, dataDir: dataDir() });
    expect(policyFromConfig(c)).toEqual({ keepDays: 30, maxJobsPerTask: 10_000, succeededLogDays: 7, eventDays: 30 });
    expect(c).toMatchObject({ retentionIntervalMs: 3_600_000, retentionBatchSize: 500 });
    expect(c.retentionStartDelayMs).toBeGreaterThan(0);
  });

  it('reads the config file and the environment, the environment winning', () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ retentionKeepDays: 90, retentionEventDays: 60 }));
    const c = loadConfig({ env: { TICKR_RETENTION_KEEP_DAYS: '14', TICKR_RETENTION_BATCH_SIZE: '100' }, dataDir: dir });
    expect(policyFromConfig(c)).toMatchObject({ keepDays: 14, eventDays: 60 });
    expect(c.retentionBatchSize).toBe(100);
  });

  it('refuses a bad value naming the setting', () => {
    expect(() => loadConfig({ env: { TICKR_RETENTION_KEEP_DAYS: '0' }, dataDir: dataDir() })).toThrow(
      /retentionKeepDays/,
    );
    expect(() => loadConfig({ env: { TICKR_RETENTION_BATCH_SIZE: '0' }, dataDir: dataDir() })).toThrow(
      /retentionBatchSize/,
    );
  });

  it('cuts off each kind of row at its own age, from one instant', () => {
    const now = new Date('2026-03-31T12:00:00Z');
    expect(cutoffs({ keepDays: 30, maxJobsPerTask: 1, succeededLogDays: 7, eventDays: 1 }, now)).toEqual({
      jobsBefore: new Date('2026-03-01T12:00:00Z'),
      succeededLogsBefore: new Date('2026-03-24T12:00:00Z'),
      eventsBefore: new Date('2026-03-30T12:00:00Z'),
    });
  });
});

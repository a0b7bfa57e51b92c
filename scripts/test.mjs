#!/usr/bin/env node
// `npm test`: runs every test project (unit, integration, e2e) with vitest.
// On a fresh clone it sets itself up first (scripts/setup.mjs): it installs the dependencies when
// node_modules is missing or older than package-lock.json, and builds (typecheck, then build) when
// out/ is missing or older than the sources, as the e2e tests run the build. It needs Redis and MySQL/MariaDB: the ones at TICKR_TEST_REDIS_URL /
// TICKR_TEST_MYSQL_URL (default 127.0.0.1:6379 and root@127.0.0.1:3306). If one is not
// reachable and its server binary is installed, a private instance is started in a temporary
// folder for the run and stopped afterwards. The e2e tests also need Chromium (TICKR_E2E_CHROMIUM, default /usr/bin/chromium): a run
// that includes them stops at once with how to install it, instead of failing test by test.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { run, servicesForRun } from './private-servers.mjs';
import { ensureSetUp } from './setup.mjs';

const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('-'));
const projectFlags = args.flatMap((a, i) =>
  a === '--project' ? [args[i + 1]] : a.startsWith('--project=') ? [a.slice(10)] : [],
);
const runsE2e = projectFlags.length
  ? projectFlags.includes('e2e')
  : filters.length === 0 || filters.some((f) => f.includes('e2e'));
const chromium = process.env.TICKR_E2E_CHROMIUM ?? '/usr/bin/chromium';
if (runsE2e && !existsSync(chromium)) {
  console.error(`[test] the e2e tests need Chromium at ${chromium}, and it is not there.`);
  console.error('[test] Install it (Debian: `apt-get install -y chromium`), set TICKR_E2E_CHROMIUM to its path,');
  console.error('[test] or run the other projects only: `npm test -- --project unit --project integration`.');
  process.exit(1);
}

try {
  ensureSetUp({ root: fileURLToPath(new URL('..', import.meta.url)), label: 'test' });
} catch (err) {
  console.error(`[test] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

const services = await servicesForRun('test');

// The whole suite: the unit tests first, two files at a time (they assert no timings, and on 2
// cores that takes a third off their time), then the integration and e2e tests one file at a
// time (vitest.config.ts says why). Both run even when the first fails, so one run shows all.
const runs = args.length
  ? [['vitest', 'run', ...args]]
  : [
      ['vitest', 'run', '--project', 'unit', '--maxWorkers', '2'],
      ['vitest', 'run', '--project', 'integration', '--project', 'e2e'],
    ];
let code = 0;
for (const argv of runs) code = (await run(argv, services.env)) || code;
await services.stop();
process.exit(code);

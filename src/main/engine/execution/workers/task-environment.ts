import { emptyRecord } from '../../../../shared/own-record';

/**
 * The environment a shell task starts with: the user's ordinary environment and the task's own
 * env, never the node's configuration. The node's environment carries its API token, its MySQL
 * URL with the password and maybe its secret key (TICKR_*), and whatever else the service
 * manager or the desktop session put there; a task that runs `env` would print all of it into
 * its log. So nothing is inherited unless it is on this list of what programs expect from a
 * login session: where to find programs, who and where the user is, language and time zone,
 * the terminal type and temp dirs (and on Windows what cmd.exe needs to work at all).
 */
const INHERITED = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TERM',
  'TMPDIR',
  'TMP',
  'TEMP',
  // Windows: without these, cmd.exe and most programs fail to start or find their files.
  'SYSTEMROOT',
  'SYSTEMDRIVE',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
  'USERPROFILE',
  'USERNAME',
  'HOMEDRIVE',
  'HOMEPATH',
  'APPDATA',
  'LOCALAPPDATA',
  'PROGRAMDATA',
  'PROGRAMFILES',
  'PROGRAMFILES(X86)',
  'NUMBER_OF_PROCESSORS',
  'PROCESSOR_ARCHITECTURE',
]);

/** Locale categories (LC_ALL, LC_CTYPE, …) are inherited with the rest of the locale. */
export function inherited(name: string): boolean {
  const upper = name.toUpperCase();
  if (upper.startsWith('TICKR_')) return false;
  return INHERITED.has(upper) || upper.startsWith('LC_');
}

/** The inherited part of `parent`: the user's ordinary environment. */
function inheritedOf(parent: NodeJS.ProcessEnv): Record<string, string> {
  const env = emptyRecord<string>();
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && inherited(name)) env[name] = value;
  }
  return env;
}

/** How long a reading of this process's environment is reused (see inheritedFrom). */
const PROCESS_ENV_REUSE_MS = 1_000;
let processEnvReading: { at: number; env: Readonly<Record<string, string>> } | null = null;

/**
 * The inherited part of `parent`. For this process's own environment the reading is reused for
 * a second: every read of `process.env` goes through the C library's environment, and two reads
 * of all of it per job (the spawn's and the captured one) showed in the throughput profile.
 */
export function inheritedFrom(parent: NodeJS.ProcessEnv, now = Date.now()): Readonly<Record<string, string>> {
  if (parent !== process.env) return inheritedOf(parent);
  if (!processEnvReading || now - processEnvReading.at >= PROCESS_ENV_REUSE_MS)
    processEnvReading = { at: now, env: inheritedOf(parent) };
  return processEnvReading.env;
}

/** The user's ordinary environment out of `parent`, then the task's own variables over it. */
export function taskEnvironment(parent: NodeJS.ProcessEnv, own: Record<string, string>): Record<string, string> {
  return Object.assign(emptyRecord<string>(), inheritedFrom(parent), own);
}

/** The variables Tickr adds for a job's attempt, over the task's own. */
export function jobVariables(jobId: string, taskId: string, attempt: number): Record<string, string> {
  return { TICKR_JOB_ID: jobId, TICKR_TASK_ID: taskId, TICKR_ATTEMPT: String(attempt) };
}

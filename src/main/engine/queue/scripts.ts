import type { Redis } from 'ioredis';

/**
 * The Lua scripts of queue/lua, one per move (invariant 2). As in BullMQ's script loader, a
 * script's file name states its keys: `promote-2.lua` takes exactly 2, `sweep-2+N.lua` takes 2
 * and then any number more, so its caller passes the count. Each is defined on a connection as
 * the command `tickr<Name>` (`tickrPromote`, `tickrSweep`), with its key count from the name.
 */
const sources = import.meta.glob<string>('./lua/*.lua', { query: '?raw', import: 'default', eager: true });

export interface ScriptFile {
  /** The command it becomes: `tickr` and the name, capitalised. */
  command: string;
  /** The fixed key count, or undefined when the caller passes it (a `+N` script). */
  numberOfKeys: number | undefined;
  lua: string;
}

/** Reads a script's command and key count from its file name; throws on a name that states neither. */
export function parseScriptName(file: string): Pick<ScriptFile, 'command' | 'numberOfKeys'> {
  const m = /(?:^|\/)([a-z][a-zA-Z]*)-(\d+)(\+N)?\.lua$/.exec(file);
  if (!m) throw new Error(`${file}: a Lua script is named <move>-<keys>.lua or <move>-<keys>+N.lua`);
  const [, name = '', keys, variable] = m;
  return {
    command: `tickr${name[0]!.toUpperCase()}${name.slice(1)}`,
    numberOfKeys: variable ? undefined : Number(keys),
  };
}

export const SCRIPTS: readonly ScriptFile[] = Object.entries(sources).map(([file, lua]) => ({
  ...parseScriptName(file),
  lua,
}));

/** Defines every script as a command on `redis`, once per connection. */
export function defineScripts(redis: Redis): void {
  for (const s of SCRIPTS) {
    if (s.command in redis) continue;
    if (s.numberOfKeys === undefined) redis.defineCommand(s.command, { lua: s.lua });
    else redis.defineCommand(s.command, { numberOfKeys: s.numberOfKeys, lua: s.lua });
  }
}

import Anser from 'anser';

/**
 * ANSI escape codes in log text: what anser renders, what search and download read, and the
 * colour state a line inherits from the line before it.
 */

// eslint-disable-next-line no-control-regex -- escape codes are what this module is about
const OSC = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g;
/** A CSI sequence that is not SGR (cursor moves, erase line): nothing a log can show. */
// eslint-disable-next-line no-control-regex
const NON_SGR_CSI = /\x1b\[[0-?]*[ -/]*[@-ln-~]/g;
// eslint-disable-next-line no-control-regex
const ANY_ESCAPE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])?/g;
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[([0-9;:]*)m/g;

/** The text a line shows, without any escape code: what search counts and download writes. */
export function plainText(raw: string): string {
  return raw.includes('\x1b') ? raw.replace(ANY_ESCAPE, '') : raw;
}

/** Keeps only SGR codes (colours and styles), the part anser renders; OSC links would show as text. */
function sgrOnly(raw: string): string {
  return raw.includes('\x1b') ? raw.replace(OSC, '').replace(NON_SGR_CSI, '') : raw;
}

/** At most this many SGR parameters are carried to the next line; a reset empties the list anyway. */
const CARRY_LIMIT = 24;

/**
 * The SGR parameters in force after `text`, starting from `carry` ('' = defaults). A colour set on
 * one line and reset lines later (`ls --color`, compilers) must colour the lines between, which
 * anser, given one line at a time, cannot know. Cheap: only lines with an escape code are scanned.
 */
export function sgrCarryAfter(carry: string, text: string): string {
  const lastCode = text.lastIndexOf('\x1b[');
  if (lastCode < 0) return carry;
  // The common case, a coloured word and its reset: nothing is carried, no scan needed.
  if (text.startsWith('\x1b[0m', lastCode) || text.startsWith('\x1b[m', lastCode)) return '';
  let params = carry === '' ? [] : carry.split(';');
  for (const match of text.matchAll(SGR)) {
    const codes = (match[1] ?? '').split(/[;:]/);
    const lastReset = Math.max(codes.lastIndexOf(''), codes.lastIndexOf('0'), codes.lastIndexOf('00'));
    if (lastReset >= 0) params = [];
    params.push(...codes.slice(lastReset + 1));
  }
  if (params.length > CARRY_LIMIT) params = params.slice(-CARRY_LIMIT);
  return params.join(';');
}

/** The escape sequence that restores a carried state, to put before the next line's text. */
export function carryPrefix(carry: string): string {
  return carry === '' ? '' : `\x1b[${carry}m`;
}

/** One run of text in one style, as the viewer renders it. */
export interface AnsiChunk {
  text: string;
  /** ansi-red-fg, ansi-bright-blue-bg, ansi-bold…: styled by log.css for both themes. */
  className: string;
  /** Set for 256-colour and true-colour codes, which have no class. */
  color?: string;
  background?: string;
}

/** xterm's 256 colours beyond the 16 named ones: a 6×6×6 cube, then 24 greys. */
function paletteColor(index: number): string {
  if (index >= 232) {
    const level = 8 + (index - 232) * 10;
    return `rgb(${level}, ${level}, ${level})`;
  }
  const cube = index - 16;
  const step = (n: number) => (n === 0 ? 0 : 55 + n * 40);
  return `rgb(${step(Math.floor(cube / 36))}, ${step(Math.floor(cube / 6) % 6)}, ${step(cube % 6)})`;
}

const NAMED = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

/** anser's class for a colour, or an inline colour for palette and true colours. */
function colorOf(
  ansiClass: string | null,
  truecolor: string | null,
  layer: 'fg' | 'bg',
): { className?: string; color?: string } {
  if (ansiClass === null) return {};
  if (ansiClass === 'ansi-truecolor') return truecolor === null ? {} : { color: `rgb(${truecolor})` };
  const palette = /^ansi-palette-(\d+)$/.exec(ansiClass);
  if (palette !== null) {
    const index = Number(palette[1]);
    // The first 16 are the named colours, which follow the theme.
    if (index < 8) return { className: `ansi-${NAMED[index]}-${layer}` };
    if (index < 16) return { className: `ansi-bright-${NAMED[index - 8]}-${layer}` };
    return { color: paletteColor(index) };
  }
  return { className: `${ansiClass}-${layer}` };
}

/** A line's text as styled chunks; `prefix` is the state carried from the line before. */
export function ansiChunks(prefix: string, raw: string): AnsiChunk[] {
  if (!raw.includes('\x1b') && prefix === '') return [{ text: raw, className: '' }];
  const entries = Anser.ansiToJson(prefix + sgrOnly(raw), { use_classes: true, remove_empty: true });
  return entries.map((entry) => {
    const fg = colorOf(entry.fg, entry.fg_truecolor, 'fg');
    const bg = colorOf(entry.bg, entry.bg_truecolor, 'bg');
    const classes = [fg.className, bg.className, ...entry.decorations.map((d) => `ansi-${d}`)].filter(Boolean);
    const chunk: AnsiChunk = { text: entry.content, className: classes.join(' ') };
    if (fg.color !== undefined) chunk.color = fg.color;
    if (bg.color !== undefined) chunk.background = bg.color;
    return chunk;
  });
}

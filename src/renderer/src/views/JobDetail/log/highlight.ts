import type { AnsiChunk } from './ansi';

/** A piece of a rendered line: a chunk of one style, cut where a search match begins or ends. */
export interface LinePiece extends AnsiChunk {
  /** 'match' for a search match, 'current' for the one next/previous went to. */
  mark: 'match' | 'current' | null;
}

export interface MarkRange {
  start: number;
  end: number;
  current: boolean;
}

/**
 * Cuts styled chunks at the ranges' ends so each range can be wrapped in a mark. Ranges index the
 * line's plain text, which is the chunks' text joined: anser drops the codes and nothing else.
 */
export function markChunks(chunks: readonly AnsiChunk[], ranges: readonly MarkRange[]): LinePiece[] {
  if (ranges.length === 0) return chunks.map((c) => ({ ...c, mark: null }));
  const pieces: LinePiece[] = [];
  let offset = 0;
  for (const chunk of chunks) {
    const chunkEnd = offset + chunk.text.length;
    let at = offset;
    for (const range of ranges) {
      if (range.end <= at || range.start >= chunkEnd) continue;
      if (range.start > at)
        pieces.push({ ...chunk, text: chunk.text.slice(at - offset, range.start - offset), mark: null });
      const end = Math.min(range.end, chunkEnd);
      const from = Math.max(range.start, at);
      pieces.push({
        ...chunk,
        text: chunk.text.slice(from - offset, end - offset),
        mark: range.current ? 'current' : 'match',
      });
      at = end;
    }
    if (at < chunkEnd) pieces.push({ ...chunk, text: chunk.text.slice(at - offset), mark: null });
    offset = chunkEnd;
  }
  return pieces;
}

import { Fragment, memo, type CSSProperties } from 'react';
import { routeHash } from '../../../app/routing/routes';
import { ansiChunks } from './ansi';
import { markChunks, type MarkRange } from './highlight';
import type { LogLine } from './line-model';
import { lineTime, type TimeMode } from './log-time';

/** The tag that tells a line's stream in words, so the streams differ without colour too. */
const STREAM_TAG = { stdout: '', stderr: 'err', system: 'sys' } as const;
const STREAM_NAME = { stdout: 'standard output', stderr: 'standard error', system: 'Tickr' } as const;

export interface LogLineProps {
  jobId: string;
  line: LogLine;
  timeMode: TimeMode;
  attemptStartMs: number | undefined;
  /** Mark the first line of each attempt: set when the log has more than one. */
  showAttempt: boolean;
  /** The line the address names (`#/jobs/<id>/line/<n>`). */
  target: boolean;
  ranges: readonly MarkRange[];
}

function pieceStyle(color: string | undefined, background: string | undefined): CSSProperties | undefined {
  if (color === undefined && background === undefined) return undefined;
  return { color, background };
}

/** One log line: its link, time, stream tag and text in colour, search matches marked. */
export const LogLineRow = memo(function LogLineRow({
  jobId,
  line,
  timeMode,
  attemptStartMs,
  showAttempt,
  target,
  ranges,
}: LogLineProps) {
  const pieces = markChunks(ansiChunks(line.prefix, line.shown), ranges);
  const tag = STREAM_TAG[line.stream];
  return (
    <>
      {showAttempt && line.attemptStart && (
        <div className="log-attempt" role="separator" aria-label={`Attempt ${line.attempt} begins`}>
          Attempt {line.attempt}
        </div>
      )}
      <div className={`log-row log-line-${line.stream}${target ? ' log-line-target' : ''}`}>
        <a
          className="log-number"
          href={routeHash({ view: 'jobs', id: jobId, line: line.number })}
          aria-label={`Link to line ${line.number}`}
        >
          {line.number}
        </a>
        <span className="log-time">{lineTime(timeMode, line.at, attemptStartMs)}</span>
        <span className="log-tag" title={STREAM_NAME[line.stream]}>
          {tag}
        </span>
        <span className={`log-text log-${line.stream}`}>
          {pieces.map((piece, i) => {
            const style = pieceStyle(piece.color, piece.background);
            const content =
              piece.className === '' && style === undefined ? (
                piece.text
              ) : (
                <span className={piece.className || undefined} style={style}>
                  {piece.text}
                </span>
              );
            if (piece.mark === null) return <Fragment key={i}>{content}</Fragment>;
            return (
              <mark key={i} className={piece.mark === 'current' ? 'log-match log-match-current' : 'log-match'}>
                {content}
              </mark>
            );
          })}
          {/* The newline keeps copied text and textContent one line per line; it takes no room. */}
          <span className="log-eol">{'\n'}</span>
        </span>
      </div>
    </>
  );
});

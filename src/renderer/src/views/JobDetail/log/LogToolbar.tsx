import type { KeyboardEvent } from 'react';
import type { TimeMode } from './log-time';

export interface LogToolbarProps {
  query: string;
  onQuery: (query: string) => void;
  matchCount: number;
  /** 0-based index of the current match, -1 for none. */
  current: number;
  onStep: (step: 1 | -1) => void;
  timeMode: TimeMode;
  onTimeMode: (mode: TimeMode) => void;
  wrap: boolean;
  onWrap: (wrap: boolean) => void;
  following: boolean;
  onFollow: (follow: boolean) => void;
  lineCount: number;
  loading: boolean;
  onDownload: () => void;
}

function matchSummary(query: string, count: number, current: number): string {
  if (query === '') return '';
  if (count === 0) return 'No matches';
  return `${current + 1} of ${count} ${count === 1 ? 'match' : 'matches'}`;
}

/** Search, the time and wrap toggles, follow and download, above the log. */
export function LogToolbar(props: LogToolbarProps) {
  const { query, matchCount, current } = props;
  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      props.onStep(event.shiftKey ? -1 : 1);
    } else if (event.key === 'Escape' && query !== '') {
      event.preventDefault();
      props.onQuery('');
    }
  };
  return (
    // A group, not a toolbar: a toolbar promises arrow keys between its controls, and its search box
    // needs those keys itself.
    <div className="log-toolbar" role="group" aria-label="Log tools">
      <div className="log-search" role="search">
        <input
          type="search"
          className="log-search-input"
          aria-label="Search the log"
          placeholder="Search the log"
          value={query}
          onChange={(event) => props.onQuery(event.target.value)}
          onKeyDown={onSearchKey}
        />
        <output className="log-match-count" aria-live="polite" data-testid="log-match-count">
          {matchSummary(query, matchCount, current)}
        </output>
        <button type="button" aria-label="Previous match" disabled={matchCount === 0} onClick={() => props.onStep(-1)}>
          ↑
        </button>
        <button type="button" aria-label="Next match" disabled={matchCount === 0} onClick={() => props.onStep(1)}>
          ↓
        </button>
      </div>
      <span className="log-line-count">
        {props.lineCount.toLocaleString('en-US')} {props.lineCount === 1 ? 'line' : 'lines'}
        {props.loading ? ', loading…' : ''}
      </span>
      <div className="log-toggles">
        <button
          type="button"
          aria-pressed={props.timeMode === 'elapsed'}
          onClick={() => props.onTimeMode(props.timeMode === 'elapsed' ? 'clock' : 'elapsed')}
        >
          Time since start
        </button>
        <button type="button" aria-pressed={props.wrap} onClick={() => props.onWrap(!props.wrap)}>
          Wrap lines
        </button>
        <button
          type="button"
          className="log-follow"
          aria-pressed={props.following}
          onClick={() => props.onFollow(!props.following)}
        >
          Follow
        </button>
        <button type="button" onClick={props.onDownload} disabled={props.lineCount === 0 || props.loading}>
          Download
        </button>
      </div>
    </div>
  );
}

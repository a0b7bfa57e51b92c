import type { LatencySample } from '../../../../../shared/types';
import { formatLatency, latencyRange } from '../format';

const WIDTH = 240;
const HEIGHT = 44;

/**
 * A service's latency over the window as a line, drawn in SVG (a few hundred points; a chart
 * library would add nothing here). Failed probes break the line and show as marks on the floor.
 * Its text alternative names the range, for screen readers.
 */
export function Sparkline({ samples, windowMs, label }: { samples: LatencySample[]; windowMs: number; label: string }) {
  const range = latencyRange(samples.map((s) => s.latencyMs));
  const failed = samples.filter((s) => s.latencyMs === null).length;
  const description =
    range === null
      ? `${label}: no latency measured in the last ${windowMs / 60_000} minutes`
      : `${label} over the last ${windowMs / 60_000} minutes: ${formatLatency(range.min)} to ${formatLatency(range.max)}` +
        (failed > 0 ? `, ${failed} failed probes` : '');
  const end = samples.length > 0 ? Date.parse(samples[samples.length - 1]!.at) : 0;
  const start = end - windowMs;
  const top = Math.max(range?.max ?? 1, 1);
  const x = (at: string) => ((Date.parse(at) - start) / windowMs) * WIDTH;
  const y = (ms: number) => HEIGHT - 3 - (ms / top) * (HEIGHT - 6);
  const lines: string[] = [];
  let current = '';
  for (const s of samples) {
    if (s.latencyMs === null) {
      if (current !== '') lines.push(current);
      current = '';
      continue;
    }
    current += `${current === '' ? 'M' : 'L'}${x(s.at).toFixed(1)},${y(s.latencyMs).toFixed(1)}`;
  }
  if (current !== '') lines.push(current);
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={description}
    >
      <title>{description}</title>
      {lines.map((d, i) => (
        <path key={i} d={d} className="sparkline-line" vectorEffect="non-scaling-stroke" />
      ))}
      {samples.map((s) =>
        s.latencyMs === null ? (
          <rect key={s.at} className="sparkline-fail" x={x(s.at) - 1} y={HEIGHT - 4} width={2} height={4} />
        ) : null,
      )}
    </svg>
  );
}

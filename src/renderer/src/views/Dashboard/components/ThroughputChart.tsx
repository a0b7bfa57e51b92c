import { useEffect, useId, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Throughput } from '../../../../../shared/types';
import { useTickrStore } from '../../../app/store';

const HEIGHT = 180;

/**
 * A theme colour of the page, resolved: the custom properties hold `light-dark(…)`, which a canvas
 * cannot parse, so the colour is read back from an element that uses it.
 */
function cssVar(name: string): string {
  const probe = document.createElement('span');
  probe.style.color = `var(${name})`;
  document.body.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color || '#888';
}

/** Whether this page can draw on a canvas (jsdom in the unit tests cannot). */
function canDraw(): boolean {
  try {
    return document.createElement('canvas').getContext('2d') !== null;
  } catch {
    return false;
  }
}

/**
 * Stacked bars: uPlot draws series in order, so the total (failed on top) is drawn first in the
 * failed colour and the succeeded bar over it, leaving the failed share visible above.
 */
function chartData(t: Throughput): uPlot.AlignedData {
  const xs = t.minutes.map((m) => Date.parse(m.minute) / 1000);
  return [xs, t.minutes.map((m) => m.succeeded + m.failed), t.minutes.map((m) => m.succeeded)];
}

type UPlot = typeof uPlot;

function options(UPlot: UPlot, width: number): uPlot.Options {
  const text = cssVar('--muted');
  const grid = cssVar('--border');
  const bars = UPlot.paths.bars!({ size: [0.8, 40] });
  const axis = {
    stroke: text,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
    font: '12px system-ui, sans-serif',
  };
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    scales: { y: { range: (_u, _min, max) => [0, Math.max(4, max)] } },
    axes: [axis, { ...axis, size: 36 }],
    series: [
      {},
      { label: 'failed', fill: cssVar('--down'), stroke: cssVar('--down'), paths: bars, points: { show: false } },
      { label: 'succeeded', fill: cssVar('--up'), stroke: cssVar('--up'), paths: bars, points: { show: false } },
    ],
  };
}

/** Jobs finished per minute over the last hour, succeeded and failed stacked; themed, resized with its card. */
export function ThroughputChart() {
  const titleId = useId();
  const throughput = useTickrStore((s) => s.throughput);
  const error = useTickrStore((s) => s.throughputError);
  const theme = useTickrStore((s) => `${s.themeChoice}:${s.prefersDark}`);
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  /** The newest data, for a chart created after it arrived. */
  const latest = useRef<Throughput | null>(null);
  useEffect(() => {
    latest.current = throughput;
  }, [throughput]);

  // Rebuilt on a theme change: uPlot takes its colours when created. Loaded on first use, as a
  // chunk of its own: uPlot reads the screen (matchMedia) as it loads, which a page without a
  // canvas (jsdom in the unit tests) need not offer.
  useEffect(() => {
    const el = box.current;
    if (el === null || throughput === null || !canDraw()) return;
    let u: uPlot | null = null;
    let resize: ResizeObserver | null = null;
    let cancelled = false;
    void import('uplot').then(({ default: UPlot }) => {
      if (cancelled) return;
      const created = new UPlot(
        options(UPlot, Math.max(200, el.clientWidth)),
        chartData(latest.current ?? throughput),
        el,
      );
      u = created;
      plot.current = created;
      resize = new ResizeObserver(() => created.setSize({ width: Math.max(200, el.clientWidth), height: HEIGHT }));
      resize.observe(el);
    });
    return () => {
      cancelled = true;
      resize?.disconnect();
      u?.destroy();
      plot.current = null;
    };
    // Data changes are applied below without a rebuild.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [theme, throughput === null]);

  useEffect(() => {
    if (throughput !== null) plot.current?.setData(chartData(throughput));
  }, [throughput]);

  const total = (k: 'succeeded' | 'failed') => throughput?.minutes.reduce((n, m) => n + m[k], 0) ?? 0;
  const summary = `${total('succeeded')} succeeded and ${total('failed')} failed in the last hour`;
  return (
    <section className="card throughput-card" aria-labelledby={titleId}>
      <header className="card-head">
        <h3 id={titleId}>Finished per minute, last hour</h3>
        <ul className="legend" aria-hidden="true">
          <li className="legend-succeeded">succeeded</li>
          <li className="legend-failed">failed</li>
        </ul>
      </header>
      {throughput === null ? (
        <p className={error === null ? 'empty' : 'error'}>{error ?? 'Counting…'}</p>
      ) : (
        <>
          <div ref={box} className="chart" role="img" aria-label={`Throughput chart: ${summary}`} />
          <p className="caption" data-testid="throughput-summary">
            {summary}
          </p>
        </>
      )}
    </section>
  );
}

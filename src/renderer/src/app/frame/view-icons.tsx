import type { ViewName } from '../routing/routes';

/** Each view's sidebar icon: 24-unit stroke paths, drawn in the text colour. */
const PATHS: Record<ViewName, string> = {
  dashboard: 'M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h6v6h-6z',
  tasks: 'M10 6h10M10 12h10M10 18h10M3.5 6l1.5 1.5L7.5 5M3.5 12l1.5 1.5L7.5 11M3.5 18l1.5 1.5L7.5 17',
  queues: 'M12 3l9 5-9 5-9-5zM3 12.5l9 5 9-5M3 17l9 5 9-5',
  jobs: 'M7 4.5v15l12-7.5z',
  events: 'M3 12h4l3-7 4 14 3-7h4',
  diagnostics: 'M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14M16 16l5 5M8 11h6M11 8v6',
  settings: 'M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1M15 4v4M9 10v4M17 16v4',
};

export function ViewIcon({ view }: { view: ViewName }) {
  return (
    <svg className="view-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={PATHS[view]} />
    </svg>
  );
}

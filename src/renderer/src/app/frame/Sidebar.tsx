import { routeHash, VIEW_TITLES, VIEWS, type ViewName } from '../routing/routes';
import { useTickrStore } from '../store';
import { ThemeSwitch } from '../theme/ThemeSwitch';
import { ViewIcon } from './view-icons';

/** A plain link to the view's fragment: the router follows the hashchange, and a new tab works too. */
function SidebarLink({ view }: { view: ViewName }) {
  const current = useTickrStore((s) => s.route.view === view);
  return (
    <a className="nav-link" href={routeHash({ view, id: null })} aria-current={current ? 'page' : undefined}>
      <ViewIcon view={view} />
      <span>{VIEW_TITLES[view]}</span>
    </a>
  );
}

export function Sidebar() {
  return (
    <aside className="sidebar">
      <h1 className="brand">Tickr</h1>
      <nav aria-label="Views">
        <ul>
          {VIEWS.map((view) => (
            <li key={view}>
              <SidebarLink view={view} />
            </li>
          ))}
        </ul>
      </nav>
      <div className="sidebar-foot">
        <ThemeSwitch />
      </div>
    </aside>
  );
}

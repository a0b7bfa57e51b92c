import { HealthPanel } from './components/HealthPanel';

/** For now only the node's health, which the frame shows in its header. */
export function DashboardView() {
  return <HealthPanel />;
}

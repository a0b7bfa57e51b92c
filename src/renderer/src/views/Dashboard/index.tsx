import { GettingStarted } from '../Tasks/components/GettingStarted';
import { HealthPanel } from './components/HealthPanel';

/** For now the first-launch guide and the node's health; activity charts come with the real view. */
export function DashboardView() {
  return (
    <>
      <GettingStarted showError />
      <section className="panel" aria-labelledby="services-title">
        <h3 id="services-title">Services</h3>
        <HealthPanel />
      </section>
    </>
  );
}

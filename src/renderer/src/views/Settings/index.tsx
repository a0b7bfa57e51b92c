import { useEffect } from 'react';
import { useTickrStore } from '../../app/store';
import { ApplyStatus } from './components/ApplyStatus';
import { ConnectionForm } from './components/ConnectionForm';
import { DesktopSection } from './components/DesktopSection';
import { EngineSection } from './components/EngineSection';
import './settings.css';

/**
 * Settings: the two connections (URL or fields, TLS, Test connection), this node's engine
 * settings, and the desktop preferences. A connection or engine change is tested, then applied
 * by draining and restarting the engine in place (no app restart), with its progress shown.
 * On a headless node (`tickr serve`) they are read-only: its environment configures it.
 */
export function SettingsView() {
  const settings = useTickrStore((s) => s.settings);
  const error = useTickrStore((s) => s.settingsError);
  const loadSettings = useTickrStore((s) => s.loadSettings);
  useEffect(() => {
    void loadSettings();
  }, [loadSettings]);

  if (settings === null)
    return error === null ? (
      <p className="panel placeholder">Reading the settings…</p>
    ) : (
      <p className="panel error" role="alert">
        {error}
      </p>
    );
  return (
    <div className="settings" data-testid="settings-view">
      {!settings.editable && (
        <p className="panel hint" data-testid="settings-read-only">
          This node runs headless: its connections and engine settings come from its environment (TICKR_REDIS_URL,
          TICKR_MYSQL_URL, TICKR_CONCURRENCY…), flags and config.json. Change them there and restart it; Test connection
          still works here.
        </p>
      )}
      <ApplyStatus />
      <div className="settings-columns">
        <ConnectionForm service="redis" editable={settings.editable} />
        <ConnectionForm service="mysql" editable={settings.editable} />
      </div>
      <EngineSection editable={settings.editable} />
      <DesktopSection desktop={settings.desktop} />
      {/* Retention (how long job history is kept) is set here once the retention.get/set methods exist. */}
      <section className="panel" aria-label="Retention" data-testid="settings-retention">
        <h3>Retention</h3>
        <p className="hint">How long job history, attempts and logs are kept will be set here.</p>
      </section>
    </div>
  );
}

import { useEffect } from 'react';
import { useTickrStore } from '../../app/store';
import { ApplyStatus } from './components/ApplyStatus';
import { ConnectionForm } from './components/ConnectionForm';
import { INSTALL_HINTS } from './install-hints';
import './settings.css';

/** True while the first-run screen should show: settings say this data dir never reached MySQL. */
export function useFirstRun(): boolean {
  const settings = useTickrStore((s) => s.settings);
  const dismissed = useTickrStore((s) => s.firstRunDismissed);
  const loadSettings = useTickrStore((s) => s.loadSettings);
  const mysqlUp = useTickrStore((s) => s.health?.mysql.status === 'up');
  useEffect(() => {
    if (settings === null) void loadSettings();
  }, [settings, loadSettings]);
  // MySQL answering ends the first run: the settings say so once re-read.
  useEffect(() => {
    if (mysqlUp && settings?.firstRun === true) void loadSettings();
  }, [mysqlUp, settings, loadSettings]);
  return settings?.firstRun === true && !dismissed;
}

/**
 * The screen a new installation opens on, until it has reached MySQL once: where Tickr expects
 * Redis and MySQL, a test of each, and how to install them locally.
 */
export function FirstRun() {
  const editable = useTickrStore((s) => s.settings?.editable ?? false);
  const dismiss = useTickrStore((s) => s.dismissFirstRun);
  return (
    <div className="settings first-run" data-testid="first-run">
      <p className="panel">
        Tickr keeps its jobs in <strong>MySQL</strong> (or MariaDB) and queues them in <strong>Redis</strong>. It has
        not reached MySQL yet: point it at your servers below, test each connection, and save. It connects on its own as
        soon as they answer.
      </p>
      <ApplyStatus />
      <div className="settings-columns">
        <ConnectionForm service="redis" editable={editable} />
        <ConnectionForm service="mysql" editable={editable} />
      </div>
      <section className="panel" aria-label="Install locally">
        <h3>No servers yet? Install them locally</h3>
        <dl className="install-hints">
          {INSTALL_HINTS.map((h) => (
            <div key={h.os}>
              <dt>{h.os}</dt>
              {h.lines.map((line) => (
                <dd key={line}>
                  <code>{line}</code>
                </dd>
              ))}
            </div>
          ))}
        </dl>
        <p className="hint">
          The defaults, redis://127.0.0.1:6379 and mysql://root@127.0.0.1:3306/tickr, then just work.
        </p>
      </section>
      <div className="settings-actions">
        <button type="button" className="secondary" onClick={dismiss}>
          Look around first
        </button>
      </div>
    </div>
  );
}

import { useId } from 'react';
import type { DesktopSettings, NotificationKind } from '../../../../../shared/types';
import { useTickrStore } from '../../../app/store';
import { THEME_CHOICE_LABELS, THEME_CHOICES } from '../../../app/theme/theme';

const NOTIFICATION_LABELS: Record<NotificationKind, string> = {
  jobFailed: 'A job failed',
  serviceDown: 'Redis or MySQL went down',
  serviceUp: 'Redis or MySQL came back',
};

/**
 * The theme (applied here at once, and remembered by the desktop app) and, in the desktop app,
 * notifications per kind, launch at login and what closing the window does. Each change is saved
 * as it is made: none of them restarts the engine.
 */
export function DesktopSection({ desktop }: { desktop: DesktopSettings | null }) {
  const themeChoice = useTickrStore((s) => s.themeChoice);
  const chooseTheme = useTickrStore((s) => s.chooseTheme);
  const saveSettings = useTickrStore((s) => s.saveSettings);
  const headingId = useId();
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h3 id={headingId}>Appearance and desktop</h3>
      <div className="settings-choice" role="radiogroup" aria-label="Theme">
        {THEME_CHOICES.map((choice) => (
          <label key={choice} className={themeChoice === choice ? 'chosen' : undefined}>
            <input
              type="radio"
              name="settings-theme"
              value={choice}
              checked={themeChoice === choice}
              onChange={() => {
                chooseTheme(choice);
                if (desktop !== null) void saveSettings({ desktop: { theme: choice } });
              }}
            />
            {THEME_CHOICE_LABELS[choice]}
          </label>
        ))}
      </div>
      {desktop === null ? (
        <p className="hint">Notifications, launch at login and the tray belong to the desktop app.</p>
      ) : (
        <>
          <fieldset className="settings-checks">
            <legend>Notify me when</legend>
            {(Object.keys(NOTIFICATION_LABELS) as NotificationKind[]).map((kind) => (
              <label key={kind} className="check">
                <input
                  type="checkbox"
                  checked={desktop.notifications[kind]}
                  onChange={(e) => void saveSettings({ desktop: { notifications: { [kind]: e.target.checked } } })}
                />
                {NOTIFICATION_LABELS[kind]}
              </label>
            ))}
          </fieldset>
          <label className="check">
            <input
              type="checkbox"
              checked={desktop.launchAtLogin}
              onChange={(e) => void saveSettings({ desktop: { launchAtLogin: e.target.checked } })}
            />
            Launch Tickr at login
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={desktop.closeToTray}
              onChange={(e) => void saveSettings({ desktop: { closeToTray: e.target.checked } })}
            />
            Closing the window keeps Tickr running in the tray (off: closing quits)
          </label>
        </>
      )}
    </section>
  );
}

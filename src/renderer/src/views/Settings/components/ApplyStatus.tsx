import { useTickrStore } from '../../../app/store';

const STATE_WORDS = {
  validating: 'Checking',
  draining: 'Draining',
  connecting: 'Reconnecting',
  done: 'Applied',
  failed: 'Not applied',
} as const;

/** Where applying the last change stands, live from settings.progress events, and why a save was refused. */
export function ApplyStatus() {
  const apply = useTickrStore((s) => s.settingsApply);
  const error = useTickrStore((s) => s.settingsSaveError);
  return (
    <>
      {apply !== null && apply.state !== 'idle' && (
        <p className={`apply-status apply-${apply.state}`} role="status" data-testid="apply-status">
          <strong>{STATE_WORDS[apply.state]}:</strong> {apply.message}
        </p>
      )}
      {error !== null && (
        <p className="error" role="alert" data-testid="settings-save-error">
          {error}
        </p>
      )}
    </>
  );
}

import { useId, useState } from 'react';
import { useTickrStore } from '../../../app/store';
import { Field } from '../../Tasks/components/Field';

/** Concurrency, node name and the log cap per attempt: applied by restarting the engine in place. */
export function EngineSection({ editable }: { editable: boolean }) {
  const settings = useTickrStore((s) => s.settings);
  const saving = useTickrStore((s) => s.settingsSaving);
  const saveSettings = useTickrStore((s) => s.saveSettings);
  const [concurrency, setConcurrency] = useState(String(settings?.concurrency ?? ''));
  const [nodeName, setNodeName] = useState(settings?.nodeName ?? '');
  const [logCapKiB, setLogCapKiB] = useState(String(Math.round((settings?.logCapBytes ?? 0) / 1024)));
  const headingId = useId();
  if (settings === null) return null;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h3 id={headingId}>This node</h3>
      <div className="settings-grid">
        <Field label="Concurrency" hint="Jobs this node runs at once (1–256)">
          <input
            type="number"
            min={1}
            max={256}
            value={concurrency}
            disabled={!editable}
            onChange={(e) => setConcurrency(e.target.value)}
          />
        </Field>
        <Field label="Node name" hint="Shown in the queues and the job history">
          <input type="text" value={nodeName} disabled={!editable} onChange={(e) => setNodeName(e.target.value)} />
        </Field>
        <Field label="Log cap per attempt (KiB)" hint="Output beyond it is cut, with a note in the log">
          <input
            type="number"
            min={1}
            value={logCapKiB}
            disabled={!editable}
            onChange={(e) => setLogCapKiB(e.target.value)}
          />
        </Field>
      </div>
      {editable && (
        <div className="settings-actions">
          <button
            type="button"
            disabled={saving}
            onClick={() =>
              void saveSettings({
                concurrency: Number(concurrency),
                nodeName,
                logCapBytes: Math.round(Number(logCapKiB) * 1024),
              })
            }
          >
            Save and apply
          </button>
        </div>
      )}
    </section>
  );
}

import { useId, useState } from 'react';
import type { ConnectionFields, ServiceName } from '../../../../../shared/connection-fields';
import { useTickrStore } from '../../../app/store';
import { Field } from '../../Tasks/components/Field';
import { draftOf, draftTarget, switchMode, type ConnectionDraft } from '../connection-draft';
import { TestResult } from './TestResult';

const TITLES: Record<ServiceName, string> = { redis: 'Redis', mysql: 'MySQL or MariaDB' };
const URL_HINTS: Record<ServiceName, string> = {
  redis: 'redis://host:6379/0, or rediss:// for TLS; ?tls-ca=/path/ca.pem&tls-verify=0 for its options',
  mysql: 'mysql://user@host:3306/tickr; add ?tls=1&tls-ca=/path/ca.pem for TLS',
};

/**
 * One connection, by URL or by fields, with its TLS options, "Test connection" and, where the
 * node may change it, "Save and reconnect". The password is a field of its own in both modes.
 */
export function ConnectionForm({ service, editable }: { service: ServiceName; editable: boolean }) {
  const saved = useTickrStore((s) => s.settings?.[service]);
  const result = useTickrStore((s) => s.connectionTests[service]);
  const testing = useTickrStore((s) => s.connectionTesting === service);
  const saving = useTickrStore((s) => s.settingsSaving);
  const testConnection = useTickrStore((s) => s.testConnection);
  const saveSettings = useTickrStore((s) => s.saveSettings);
  // Rendered once the settings are read; a later re-read leaves what the user typed alone.
  const [draft, setDraft] = useState<ConnectionDraft | null>(() => (saved ? draftOf(service, saved) : null));
  const headingId = useId();

  if (!saved || draft === null) return null;
  const setField = <K extends keyof ConnectionFields>(key: K, value: ConnectionFields[K]): void =>
    setDraft({ ...draft, fields: { ...draft.fields, [key]: value } });
  const target = draftTarget(service, draft);
  const tlsOn = draft.mode === 'fields' ? draft.fields.tls : null;

  return (
    <section className="panel settings-connection" aria-labelledby={headingId}>
      <h3 id={headingId}>{TITLES[service]}</h3>
      <div className="settings-choice" role="radiogroup" aria-label={`${TITLES[service]}: give it as`}>
        {(['url', 'fields'] as const).map((mode) => (
          <label key={mode} className={draft.mode === mode ? 'chosen' : undefined}>
            <input
              type="radio"
              name={`${service}-mode`}
              value={mode}
              checked={draft.mode === mode}
              onChange={() => setDraft(switchMode(service, draft, mode))}
            />
            {mode === 'url' ? 'URL' : 'Fields'}
          </label>
        ))}
      </div>
      {draft.mode === 'url' ? (
        <Field label={`${TITLES[service]} URL`} hint={URL_HINTS[service]}>
          <input
            type="text"
            spellCheck={false}
            autoComplete="off"
            value={draft.url}
            onChange={(e) => setDraft({ ...draft, url: e.target.value })}
            data-testid={`${service}-url`}
          />
        </Field>
      ) : (
        <div className="settings-grid">
          <Field label="Host">
            <input type="text" value={draft.fields.host} onChange={(e) => setField('host', e.target.value)} />
          </Field>
          <Field label="Port">
            <input
              type="number"
              min={1}
              max={65535}
              value={draft.fields.port}
              onChange={(e) => setField('port', Number(e.target.value))}
            />
          </Field>
          <Field label="User">
            <input type="text" value={draft.fields.user} onChange={(e) => setField('user', e.target.value)} />
          </Field>
          <Field label={service === 'redis' ? 'Database number' : 'Database'}>
            <input type="text" value={draft.fields.database} onChange={(e) => setField('database', e.target.value)} />
          </Field>
          <label className="check">
            <input type="checkbox" checked={tlsOn === true} onChange={(e) => setField('tls', e.target.checked)} />
            Use TLS
          </label>
          {tlsOn === true && (
            <>
              <label className="check">
                <input
                  type="checkbox"
                  checked={draft.fields.tlsVerify}
                  onChange={(e) => setField('tlsVerify', e.target.checked)}
                />
                Check the server's certificate
              </label>
              <Field label="CA file" hint="PEM file of the authority that signed the server's certificate">
                <input
                  type="text"
                  value={draft.fields.tlsCaFile}
                  onChange={(e) => setField('tlsCaFile', e.target.value)}
                />
              </Field>
              <Field label="Client certificate file" hint="Optional, PEM">
                <input
                  type="text"
                  value={draft.fields.tlsCertFile}
                  onChange={(e) => setField('tlsCertFile', e.target.value)}
                />
              </Field>
              <Field label="Client key file" hint="Optional, PEM">
                <input
                  type="text"
                  value={draft.fields.tlsKeyFile}
                  onChange={(e) => setField('tlsKeyFile', e.target.value)}
                />
              </Field>
            </>
          )}
        </div>
      )}
      <Field
        label="Password"
        hint={saved.passwordSet ? 'A password is saved; leave empty to keep it' : 'Leave empty for none'}
      >
        <input
          type="password"
          autoComplete="new-password"
          value={draft.password}
          placeholder={saved.passwordSet ? '••••••••' : ''}
          onChange={(e) => setDraft({ ...draft, password: e.target.value })}
        />
      </Field>
      <div className="settings-actions">
        <button
          type="button"
          className="secondary"
          disabled={testing}
          onClick={() => void testConnection({ service, ...target })}
          data-testid={`test-${service}`}
        >
          {testing ? 'Testing…' : 'Test connection'}
        </button>
        {editable && (
          <button
            type="button"
            disabled={saving}
            onClick={() =>
              // Saved: the typed password is now the saved one, shown as such.
              void saveSettings({ [service]: target }).then((ok) => ok && setDraft({ ...draft, password: '' }))
            }
          >
            Save and reconnect
          </button>
        )}
      </div>
      {result !== undefined && <TestResult result={result} />}
    </section>
  );
}

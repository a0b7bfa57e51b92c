import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { scheduleSchema, HTTP_METHODS } from '../../../../../shared/schemas';
import { useTickrStore } from '../../../app/store';
import {
  errorAt,
  machineZone,
  retryRuleInWords,
  scheduleOf,
  serverFieldErrors,
  TIME_UNITS,
  validateForm,
  type FieldErrors,
  type TaskFormState,
  type TimeUnit,
} from '../form-model';
import { CronField } from './CronField';
import { Field } from './Field';
import { SchedulePreview } from './SchedulePreview';
import { ValueRows } from './ValueRows';
import { allTimeZones } from './ZonePicker';

/** The form's first field, which Ctrl+N and the palette's "New task" focus (app/frame-actions.ts). */
export const TASK_NAME_FIELD_ID = 'task-name';

const OVERLAP_HINTS = {
  skip: 'A run that comes due while the previous one still runs is skipped.',
  queue: 'A run that comes due while the previous one still runs waits for it to finish.',
  allow: 'Runs may overlap: each starts when due, whatever still runs.',
} as const;

const CATCH_UP_HINTS = {
  skip: 'Runs missed while no node was up are skipped; the schedule resumes with the next one.',
  once: 'Runs missed while no node was up are made up by one run, at once.',
  all: 'Every missed run is made up, one after another.',
} as const;

const TARGET_HINTS = {
  any: 'Any node sharing this Redis and MySQL may run it.',
  'this-node': 'Only this node runs it (pinned to it).',
} as const;

function UnitSelect({ value, onChange, label }: { value: TimeUnit; onChange: (u: TimeUnit) => void; label: string }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as TimeUnit)}>
      {Object.keys(TIME_UNITS).map((u) => (
        <option key={u} value={u}>
          {u}
        </option>
      ))}
    </select>
  );
}

/** Which errors each edit makes stale: the server's error on a field goes once that field changes. */
const FIELD_PATHS: Partial<Record<keyof TaskFormState, string[]>> = {
  cronExpr: ['schedule.expr', 'schedule'],
  timezone: ['schedule.timezone', 'schedule'],
  everyValue: ['schedule.everyMs', 'schedule'],
  everyUnit: ['schedule.everyMs', 'schedule'],
  onceAt: ['schedule.at', 'schedule'],
  delayValue: ['schedule.delayMs', 'schedule'],
  startAt: ['schedule.startAt', 'schedule.endAt'],
  endAt: ['schedule.endAt'],
  url: ['http.url', 'http'],
  method: ['http.method'],
  retryDelaySeconds: ['retryDelayMs'],
  timeoutSeconds: ['timeoutMs'],
  headers: ['http.headers'],
};

function stalePaths(field: keyof TaskFormState): string[] {
  return FIELD_PATHS[field] ?? [field];
}

/**
 * One form for creating and editing a task, with every field of the contract. The state is a
 * TaskFormState (form-model.ts); each keystroke is checked with the contract's own schema, the
 * server's answer lands on the fields it names, and a failed save keeps everything typed.
 */
export function TaskEditor({ initial }: { initial: TaskFormState }) {
  const [form, setForm] = useState(initial);
  const [dirty, setDirty] = useState<ReadonlySet<string>>(new Set());
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const saveTask = useTickrStore((s) => s.saveTask);
  const navigate = useTickrStore((s) => s.navigate);
  const loadPreview = useTickrStore((s) => s.loadPreview);
  const preview = useTickrStore((s) => s.preview);
  const previewError = useTickrStore((s) => s.previewError);
  const viewerZone = useMemo(() => machineZone(), []);
  const zones = useMemo(() => new Set(allTimeZones()), []);

  const set = <K extends keyof TaskFormState>(field: K, value: TaskFormState[K]) => {
    setForm((f) => ({ ...f, [field]: value }));
    setDirty((d) => new Set([...d, ...stalePaths(field)]));
    setServerErrors((errors) => {
      const stale = stalePaths(field);
      return Object.fromEntries(
        Object.entries(errors).filter(([k]) => !stale.some((p) => k === p || k.startsWith(`${p}.`))),
      );
    });
  };

  const schedule = scheduleOf(form);
  const scheduleKey = JSON.stringify(schedule);
  const zoneProblem =
    form.scheduleKind === 'cron' && !zones.has(form.timezone)
      ? `'${form.timezone}' is not a known IANA time zone`
      : null;
  const scheduleOk = scheduleSchema.safeParse(schedule).success && zoneProblem === null;

  // The preview follows the schedule as it is typed, a moment after the typing stops.
  useEffect(() => {
    if (!scheduleOk) return;
    const timer = setTimeout(() => void loadPreview(JSON.parse(scheduleKey)), 250);
    return () => clearTimeout(timer);
  }, [scheduleKey, scheduleOk, loadPreview]);

  const localErrors = validateForm(form);
  if (zoneProblem !== null) localErrors['schedule.timezone'] = zoneProblem;
  // The server's word on the schedule as typed (croner's rules), from the preview.
  const previewErrors = scheduleOk && previewError !== null ? serverFieldErrors(previewError) : {};
  const errors: FieldErrors = { ...previewErrors, ...serverErrors };
  for (const [path, message] of Object.entries(localErrors)) {
    if (dirty.has(path) || dirty.has(path.split('.')[0] ?? '') || [...dirty].some((d) => path.startsWith(d)))
      errors[path] ??= message;
  }
  // A failure that names no field (MySQL down, say) does not block a second try.
  const fieldServerErrors = Object.keys(serverErrors).filter((k) => k !== '(form)');
  const invalid =
    Object.keys(localErrors).length > 0 || Object.keys(previewErrors).length > 0 || fieldServerErrors.length > 0;
  const [firstPath, firstMessage] = Object.entries({ ...localErrors, ...previewErrors, ...serverErrors })[0] ?? [];
  const err = (path: string) => errorAt(errors, path);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (invalid || saving) return;
    setSaving(true);
    const result = await saveTask(form);
    setSaving(false);
    if (result.ok) {
      navigate({ view: 'tasks', id: null });
      return;
    }
    // Nothing typed is touched: the message goes onto the fields it names.
    setServerErrors(serverFieldErrors(result.message));
  }

  const isNew = form.id === null;
  return (
    <form
      className="task-editor"
      aria-label={isNew ? 'New task' : `Edit task ${form.name}`}
      onSubmit={(e) => void submit(e)}
    >
      <div className="editor-head">
        <h3>{isNew ? 'New task' : `Edit “${initial.name}”`}</h3>
        <a href="#/tasks">Back to all tasks</a>
      </div>
      <section className="panel" aria-labelledby="editor-what">
        <h3 id="editor-what">What to run</h3>
        <div className="grid-2">
          <Field label="Name" error={err('name')}>
            <input
              id={TASK_NAME_FIELD_ID}
              value={form.name}
              placeholder="nightly backup"
              onChange={(e) => set('name', e.target.value)}
            />
          </Field>
          <fieldset className="segmented">
            <legend>Type</legend>
            {(['shell', 'http'] as const).map((t) => (
              <label key={t} className="check">
                <input type="radio" name="task-type" checked={form.type === t} onChange={() => set('type', t)} />
                {t === 'shell' ? 'Shell command' : 'HTTP request'}
              </label>
            ))}
          </fieldset>
        </div>
        {form.type === 'shell' ? (
          <>
            <Field label="Command" error={err('command')} hint="Run by the shell; several lines run as one script.">
              <textarea
                className="mono"
                rows={4}
                value={form.command}
                placeholder="pg_dump mydb > /backups/mydb.sql"
                onChange={(e) => set('command', e.target.value)}
              />
            </Field>
            <Field label="Working directory" error={err('cwd')} hint="Optional; the node's data dir when empty.">
              <input value={form.cwd} placeholder="/home/me/project" onChange={(e) => set('cwd', e.target.value)} />
            </Field>
            <ValueRows
              legend="Environment"
              noun="variable"
              rows={form.env}
              onChange={(rows) => set('env', rows)}
              error={err('env')}
            />
          </>
        ) : (
          <>
            <div className="grid-method-url">
              <Field label="Method" error={err('http.method')}>
                <select value={form.method} onChange={(e) => set('method', e.target.value as TaskFormState['method'])}>
                  {HTTP_METHODS.map((m) => (
                    <option key={m}>{m}</option>
                  ))}
                </select>
              </Field>
              <Field label="URL" error={err('http.url') ?? err('http')}>
                <input
                  type="url"
                  value={form.url}
                  placeholder="https://example.com/hook"
                  onChange={(e) => set('url', e.target.value)}
                />
              </Field>
            </div>
            <ValueRows
              legend="Headers"
              noun="header"
              rows={form.headers}
              onChange={(rows) => set('headers', rows)}
              error={err('http.headers')}
            />
            <Field label="Body" error={err('http.body')}>
              <textarea className="mono" rows={3} value={form.body} onChange={(e) => set('body', e.target.value)} />
            </Field>
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="editor-when">
        <h3 id="editor-when">When</h3>
        <fieldset className="segmented">
          <legend>Schedule</legend>
          {(['once', 'interval', 'cron'] as const).map((k) => (
            <label key={k} className="check">
              <input
                type="radio"
                name="schedule-kind"
                checked={form.scheduleKind === k}
                onChange={() => set('scheduleKind', k)}
              />
              {{ once: 'Once', interval: 'Interval', cron: 'Cron' }[k]}
            </label>
          ))}
        </fieldset>
        {form.scheduleKind === 'once' && (
          <div className="schedule-once">
            <fieldset className="segmented">
              <legend>Run</legend>
              {(['now', 'at', 'delay'] as const).map((m) => (
                <label key={m} className="check">
                  <input
                    type="radio"
                    name="once-mode"
                    checked={form.onceMode === m}
                    onChange={() => set('onceMode', m)}
                  />
                  {{ now: 'Now', at: 'At a time', delay: 'After a delay' }[m]}
                </label>
              ))}
            </fieldset>
            {form.onceMode === 'at' && (
              <Field label={`Run at (your time, ${viewerZone})`} error={err('schedule.at')}>
                <input type="datetime-local" value={form.onceAt} onChange={(e) => set('onceAt', e.target.value)} />
              </Field>
            )}
            {form.onceMode === 'delay' && (
              <div className="inline-fields">
                <Field label="Delay" error={err('schedule.delayMs')}>
                  <input
                    type="number"
                    min={0}
                    value={form.delayValue}
                    onChange={(e) => set('delayValue', e.target.value)}
                  />
                </Field>
                <UnitSelect label="Delay unit" value={form.delayUnit} onChange={(u) => set('delayUnit', u)} />
              </div>
            )}
          </div>
        )}
        {form.scheduleKind === 'interval' && (
          <div className="inline-fields">
            <Field label="Every" error={err('schedule.everyMs')}>
              <input
                type="number"
                min={1}
                value={form.everyValue}
                onChange={(e) => set('everyValue', e.target.value)}
              />
            </Field>
            <UnitSelect label="Interval unit" value={form.everyUnit} onChange={(u) => set('everyUnit', u)} />
          </div>
        )}
        {form.scheduleKind === 'cron' && (
          <CronField
            expr={form.cronExpr}
            timezone={form.timezone}
            onExpr={(v) => set('cronExpr', v)}
            onTimezone={(v) => set('timezone', v)}
            exprError={err('schedule.expr')}
            zoneError={err('schedule.timezone')}
          />
        )}
        {form.scheduleKind !== 'once' && (
          <div className="grid-2">
            <Field
              label={`Start (your time, ${viewerZone})`}
              error={err('schedule.startAt')}
              hint="Optional: no run before it."
            >
              <input type="datetime-local" value={form.startAt} onChange={(e) => set('startAt', e.target.value)} />
            </Field>
            <Field
              label={`End (your time, ${viewerZone})`}
              error={err('schedule.endAt')}
              hint="Optional: no run after it."
            >
              <input type="datetime-local" value={form.endAt} onChange={(e) => set('endAt', e.target.value)} />
            </Field>
          </div>
        )}
        {scheduleOk && previewError === null && (
          <SchedulePreview
            preview={preview}
            taskZone={form.scheduleKind === 'cron' ? form.timezone : viewerZone}
            viewerZone={viewerZone}
          />
        )}
      </section>

      <section className="panel" aria-labelledby="editor-policies">
        <h3 id="editor-policies">If it fails, overlaps or is missed</h3>
        <div className="grid-3">
          <Field label="Attempts" error={err('maxAttempts')} hint="The first run and its retries.">
            <input
              type="number"
              min={1}
              value={form.maxAttempts}
              onChange={(e) => set('maxAttempts', e.target.value)}
            />
          </Field>
          <Field
            label="Retry delay (seconds)"
            error={err('retryDelayMs')}
            hint={retryRuleInWords(form.maxAttempts, form.retryDelaySeconds)}
          >
            <input
              type="number"
              min={0}
              value={form.retryDelaySeconds}
              onChange={(e) => set('retryDelaySeconds', e.target.value)}
            />
          </Field>
          <Field label="Timeout (seconds)" error={err('timeoutMs')} hint="An attempt still running then is stopped.">
            <input
              type="number"
              min={0.1}
              step="any"
              value={form.timeoutSeconds}
              onChange={(e) => set('timeoutSeconds', e.target.value)}
            />
          </Field>
          <Field label="Overlap" hint={OVERLAP_HINTS[form.overlap]} error={err('overlap')}>
            <select value={form.overlap} onChange={(e) => set('overlap', e.target.value as TaskFormState['overlap'])}>
              <option value="skip">skip</option>
              <option value="queue">queue</option>
              <option value="allow">allow</option>
            </select>
          </Field>
          <Field label="Catch-up" hint={CATCH_UP_HINTS[form.catchUp]} error={err('catchUp')}>
            <select value={form.catchUp} onChange={(e) => set('catchUp', e.target.value as TaskFormState['catchUp'])}>
              <option value="skip">skip</option>
              <option value="once">once</option>
              <option value="all">all</option>
            </select>
          </Field>
          <Field label="Target" hint={TARGET_HINTS[form.target]} error={err('target')}>
            <select value={form.target} onChange={(e) => set('target', e.target.value as TaskFormState['target'])}>
              <option value="any">any node</option>
              <option value="this-node">this node</option>
            </select>
          </Field>
        </div>
        <label className="check">
          <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} />
          Enabled (a paused task keeps its schedule but makes no runs)
        </label>
      </section>

      {errors['(form)'] !== undefined && (
        <p className="error" role="alert">
          {errors['(form)']}
        </p>
      )}
      <div className="actions editor-actions">
        <button type="submit" disabled={invalid || saving}>
          {saving ? 'Saving…' : isNew ? 'Create task' : 'Save changes'}
        </button>
        <a className="button-link" href="#/tasks">
          Cancel
        </a>
        {invalid && !saving && firstPath !== undefined && (
          <span className="hint" data-testid="save-blocked">
            To save: {firstPath} {firstMessage}
          </span>
        )}
      </div>
    </form>
  );
}

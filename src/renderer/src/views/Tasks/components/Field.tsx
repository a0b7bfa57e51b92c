import { cloneElement, useId, type ReactElement } from 'react';

/**
 * A labelled control with its one-line explanation and its error, wired for assistive tech: the
 * label names the control, the hint and the error describe it, and aria-invalid marks it.
 */
export function Field({
  label,
  hint,
  error,
  children,
  className,
}: {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: ReactElement<Record<string, unknown>>;
  className?: string;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error !== undefined ? errorId : null, hint !== undefined ? hintId : null]
    .filter((x) => x !== null)
    .join(' ');
  const control = cloneElement(children, {
    id: (children.props.id as string | undefined) ?? id,
    'aria-invalid': error !== undefined ? true : undefined,
    'aria-describedby': describedBy === '' ? undefined : describedBy,
  });
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={(children.props.id as string | undefined) ?? id}>{label}</label>
      {control}
      {error !== undefined && (
        <p className="field-error" id={errorId} data-testid="field-error">
          {error}
        </p>
      )}
      {hint !== undefined && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}

import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

/**
 * Asks before a task is deleted, with the explicit choice to delete its history too
 * (tasks.delete's `purge`). Esc or Cancel closes it; focus starts on Cancel, the safe answer.
 */
export function DeleteTaskDialog({
  taskName,
  onConfirm,
  onClose,
}: {
  taskName: string;
  onConfirm: (purge: boolean) => void;
  onClose: () => void;
}) {
  const titleId = useId();
  const textId = useId();
  const [purge, setPurge] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    onClose();
  };
  return (
    <div className="dialog-overlay">
      <div
        className="dialog panel"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={textId}
        onKeyDown={onKeyDown}
      >
        <h3 id={titleId}>Delete “{taskName}”?</h3>
        <p id={textId}>
          Its waiting jobs are cancelled and it makes no more. Running jobs finish. Its history stays unless you choose
          otherwise.
        </p>
        <label className="check">
          <input type="checkbox" checked={purge} onChange={(e) => setPurge(e.target.checked)} />
          Also delete its history (every job and log of this task)
        </label>
        <div className="actions">
          <button type="button" className="secondary" ref={cancelRef} onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={() => onConfirm(purge)}>
            {purge ? 'Delete task and history' : 'Delete task'}
          </button>
        </div>
      </div>
    </div>
  );
}

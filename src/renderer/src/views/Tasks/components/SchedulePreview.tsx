import type { SchedulePreview as Preview } from '../../../../../shared/types';
import { dstNote, timeIn } from '../preview-words';

/** The next runs from schedule.preview: in the task's zone, in the viewer's, and why DST moved any. */
export function SchedulePreview({
  preview,
  taskZone,
  viewerZone,
}: {
  preview: Preview | null;
  taskZone: string;
  viewerZone: string;
}) {
  if (preview === null) return null;
  if (preview.occurrences.length === 0) return <p className="hint">{preview.description}: no runs to come.</p>;
  return (
    <div className="preview">
      <table className="preview-table" aria-label="Next runs">
        <caption>Next {preview.occurrences.length} runs</caption>
        <thead>
          <tr>
            <th scope="col">In {taskZone} (the task’s zone)</th>
            {viewerZone !== taskZone && <th scope="col">In {viewerZone} (yours)</th>}
            <th scope="col">DST</th>
          </tr>
        </thead>
        <tbody>
          {preview.occurrences.map((o) => {
            const note = dstNote(o);
            return (
              <tr key={o.utc} data-testid="preview-run" className={note ? 'dst-affected' : undefined}>
                <td>{timeIn(taskZone, o.utc)}</td>
                {viewerZone !== taskZone && <td>{timeIn(viewerZone, o.utc)}</td>}
                <td>{note === null ? '' : <span className="dst-note">⚠ {note}</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

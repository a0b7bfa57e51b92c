import type { LogLine } from './line-model';

/** The log as a text file: the lines as shown, without escape codes, one per line. */
export function logText(lines: readonly LogLine[]): string {
  if (lines.length === 0) return '';
  return `${lines.map((line) => line.plain).join('\n')}\n`;
}

/** Saves the log through a Blob URL, freed once the browser has taken the file. */
export function downloadLog(jobId: string, lines: readonly LogLine[], doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([logText(lines)], { type: 'text/plain;charset=utf-8' }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = `tickr-job-${jobId}.log`;
  doc.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

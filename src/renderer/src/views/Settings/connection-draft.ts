import {
  fieldsToUrl,
  urlToFields,
  type ConnectionFields,
  type ServiceName,
} from '../../../../shared/connection-fields';
import type { ConnectionSettings } from '../../../../shared/types';

/**
 * What the connection form edits: the URL as typed, or the same connection as fields, and a
 * password typed apart from both. An empty password means "keep the saved one" (the engine
 * uses it only for the saved host, port and user); the URL never shows a saved password.
 */
export interface ConnectionDraft {
  mode: 'url' | 'fields';
  url: string;
  fields: ConnectionFields;
  password: string;
}

export function draftOf(service: ServiceName, saved: ConnectionSettings): ConnectionDraft {
  return { mode: 'url', url: saved.url, fields: urlToFields(service, saved.url), password: '' };
}

/** The draft switched to the other mode, carrying what was typed over. */
export function switchMode(
  service: ServiceName,
  draft: ConnectionDraft,
  mode: ConnectionDraft['mode'],
): ConnectionDraft {
  if (mode === draft.mode) return draft;
  if (mode === 'url') return { ...draft, mode, url: fieldsToUrl(service, { ...draft.fields, password: '' }) };
  try {
    const fields = urlToFields(service, draft.url);
    // A password typed into the URL moves to the password field, out of sight.
    return { ...draft, mode, fields: { ...fields, password: '' }, password: fields.password || draft.password };
  } catch {
    return { ...draft, mode };
  }
}

/** The URL and password to send: the password only when one was typed. */
export function draftTarget(service: ServiceName, draft: ConnectionDraft): { url: string; password?: string } {
  const url = draft.mode === 'url' ? draft.url.trim() : fieldsToUrl(service, { ...draft.fields, password: '' });
  return draft.password === '' ? { url } : { url, password: draft.password };
}

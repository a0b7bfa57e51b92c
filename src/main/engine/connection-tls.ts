import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { TLS_PARAMS, urlToFields, type ServiceName } from '../../shared/connection-fields';

/**
 * The TLS options of a Redis or MySQL URL (see shared/connection-fields.ts for the query
 * parameters), as Node's tls options. Files are read here, at connection time, so that a renewed
 * certificate is picked up by the next connection; a file that cannot be read is an error naming
 * the parameter, never a silent connection without it.
 */
export function tlsOptionsOf(service: ServiceName, url: string): ConnectionOptions | undefined {
  const f = urlToFields(service, url);
  if (!f.tls) return undefined;
  const read = (param: string, file: string): Buffer | undefined => {
    if (file === '') return undefined;
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(`${param}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  const options: ConnectionOptions = {
    ca: read('tls-ca', f.tlsCaFile),
    cert: read('tls-cert', f.tlsCertFile),
    key: read('tls-key', f.tlsKeyFile),
    rejectUnauthorized: f.tlsVerify,
  };
  // A name, not an address, is what a certificate is issued to: send it for SNI.
  if (!/^[\d.:]+$/.test(f.host)) options.servername = f.host;
  return options;
}

/** The URL without the TLS parameters, which the drivers would otherwise take as their own options. */
export function withoutTlsParams(url: string): string {
  const u = new URL(url);
  for (const p of TLS_PARAMS) u.searchParams.delete(p);
  return u.toString();
}

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A CA made for one test, and a server certificate it signed for 127.0.0.1 (an IP SAN, which
 * is what Node checks an address against), all as PEM files in `dir`. Needs the openssl CLI.
 */
export interface TestCertificates {
  ca: string;
  serverCert: string;
  serverKey: string;
}

export function makeTestCertificates(dir: string): TestCertificates {
  const file = (name: string): string => path.join(dir, name);
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  const days = ['-days', '2'];
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    ...days,
    '-subj',
    '/CN=Tickr test CA',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
  );
  writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    ...days,
    '-extfile',
    file('san.ext'),
    '-out',
    file('server.pem'),
  );
  return { ca: file('ca.pem'), serverCert: file('server.pem'), serverKey: file('server.key') };
}

import { randomBytes } from 'node:crypto';

/**
 * The values the soak plants and then searches for in everything the nodes emitted: a task's
 * secret env variable, a secret HTTP header, the MySQL password in the nodes' connection URL, and
 * the cluster key that seals secrets (TICKR_SECRET_KEY). Hex, so that no encoding (URL, JSON)
 * changes how they read.
 */
export interface PlantedSecrets {
  env: string;
  header: string;
  mysqlPassword: string;
  secretKey: string;
}

export function plantSecrets(): PlantedSecrets {
  return {
    env: `soakenv${randomBytes(12).toString('hex')}`,
    header: `soakhdr${randomBytes(12).toString('hex')}`,
    mysqlPassword: `soakpw${randomBytes(12).toString('hex')}`,
    secretKey: randomBytes(32).toString('base64'),
  };
}

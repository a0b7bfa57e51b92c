import type { PartContext } from '../context';
import { claimMeta } from '../store/meta';
import type { KeySource } from './secret-key';

export type ClusterKeyContext = PartContext<'pool' | 'secrets' | 'log' | 'recordEvent'>;

/**
 * Says where the secret key comes from, and warns when it is not the key the first node on this
 * database had: secrets sealed there cannot be opened here, and their jobs fail with the reason.
 */
export async function checkClusterKey(ctx: ClusterKeyContext, source: KeySource, file: string | null): Promise<void> {
  const where =
    source === 'config'
      ? 'from TICKR_SECRET_KEY'
      : source === 'keychain'
        ? `in ${file}, protected by the OS keychain`
        : `in ${file} (readable by this user only)`;
  ctx.log.info(`secret key ${ctx.secrets.keyId} ${where}`);
  const clusterKey = await claimMeta(ctx.pool, 'secret_key_id', ctx.secrets.keyId);
  if (clusterKey === ctx.secrets.keyId) return;
  const message =
    `this node's secret key ${ctx.secrets.keyId} is not the key ${clusterKey} of the first node on this database: ` +
    'tasks whose secrets were sealed with it fail here. Give every node the same key (TICKR_SECRET_KEY).';
  ctx.log.warn(message);
  await ctx.recordEvent({
    level: 'warn',
    kind: 'secrets.key_mismatch',
    message,
    data: { nodeKey: ctx.secrets.keyId, clusterKey },
  });
}

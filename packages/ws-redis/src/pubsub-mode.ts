import type { CommandSender } from './lua-script';

/**
 * How live events travel: `sharded` pub/sub (`SPUBLISH`/`SSUBSCRIBE`, Redis 7+: a channel lives
 * on its key's shard, so a cluster does not broadcast every event to every node) or `classic`
 * (`PUBLISH`/`SUBSCRIBE`, Redis 6.2).
 */
export type PubSubMode = 'sharded' | 'classic';

/** The best mode the server supports: sharded when it knows `SPUBLISH`. */
export async function detectPubSubMode(client: CommandSender): Promise<PubSubMode> {
  const reply = await client.sendCommand(['COMMAND', 'INFO', 'SPUBLISH']);
  return Array.isArray(reply) && reply[0] !== null && reply[0] !== undefined
    ? 'sharded'
    : 'classic';
}

/** The publish command the append script calls in `mode`. */
export function publishCommand(mode: PubSubMode): 'SPUBLISH' | 'PUBLISH' {
  return mode === 'sharded' ? 'SPUBLISH' : 'PUBLISH';
}

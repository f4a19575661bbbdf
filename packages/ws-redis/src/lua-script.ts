import { createHash } from 'node:crypto';
import { ErrorReply } from 'redis';

/** What a script returns once Redis converted it (strings, integers, nil, nested arrays). */
export type ScriptReply = string | number | null | ScriptReply[];

/** The one client method scripts need; every node-redis client has it. */
export interface CommandSender {
  sendCommand(args: readonly string[]): Promise<unknown>;
}

/**
 * A Lua script run by its SHA1 (`EVALSHA`), falling back to `EVAL` — which also caches it —
 * when the server does not know it yet (first use, or Redis restarted). Callers that depend on
 * the order of their calls must not have two calls of one script in flight at once: a `NOSCRIPT`
 * retry would otherwise land after a later call that succeeded.
 */
export class LuaScript {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(
    client: CommandSender,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<ScriptReply> {
    const rest = [String(keys.length), ...keys, ...args.map(String)];
    try {
      return (await client.sendCommand(['EVALSHA', this.sha, ...rest])) as ScriptReply;
    } catch (error) {
      if (!(error instanceof ErrorReply) || !error.message.startsWith('NOSCRIPT')) throw error;
      return (await client.sendCommand(['EVAL', this.source, ...rest])) as ScriptReply;
    }
  }
}

import { randomBytes } from 'node:crypto';
import {
  type AppendResult,
  type ChatEventJsonParts,
  type ReadSinceResult,
  type RetentionSettings,
  RunFencedError,
  type RunLease,
  sequenceChatEvent,
  type StreamSnapshot,
} from '@app/ws-core';
import type { UnsequencedEvent } from '@app/ws-protocol';
import { ErrorReply } from 'redis';
import { appendScript } from './append-script';
import type { ScriptReply } from './lua-script';
import { type PubSubMode, publishCommand } from './pubsub-mode';
import { parsePosition, parseRecord, parseSnapshot, readScript } from './read-script';
import type { RedisClientLike } from './redis-client';
import { replyArray, replyInteger, replyString } from './script-reply';
import type { StreamKeys } from './stream-keys';

/**
 * How long a stream's keys live while a run is in flight (at least `maxAgeMs`): a run's events
 * are kept until it ends, and a run whose node died is ended by another node within a lease TTL.
 */
const IN_FLIGHT_TTL_MS = 3_600_000;

/** The in-flight TTL for `retention` (never below `maxAgeMs`). */
export function inFlightTtlMs(retention: RetentionSettings): number {
  return Math.max(retention.maxAgeMs, IN_FLIGHT_TTL_MS);
}

/** A new epoch id: `e_` and 128 random bits. */
function newEpoch(): string {
  return 'e_' + randomBytes(16).toString('base64url');
}

/** One append as the append script takes it (besides the event and its encoded halves). */
export interface StreamAppendArgs {
  readonly mode: PubSubMode;
  readonly lease: RunLease | undefined;
  readonly terminal: boolean;
  /** The same on every attempt of one append, so a retried append is not stored twice. */
  readonly appendId: string;
}

/**
 * The append and read scripts run on one engine's keys: each call is one script, the reply
 * parsed into the engine's result types. Availability, queueing and fan-out stay with the engine.
 */
export class StreamCommands {
  constructor(
    private readonly client: RedisClientLike,
    private readonly keys: StreamKeys,
    private readonly retention: RetentionSettings,
    private readonly serverId: string,
  ) {}

  /** @throws RunFencedError when the script refuses the lease. */
  async append(
    userId: string,
    event: UnsequencedEvent,
    parts: ChatEventJsonParts,
    args: StreamAppendArgs,
  ): Promise<AppendResult> {
    const keys = [this.keys.meta(userId), this.keys.events(userId)];
    let reply: ScriptReply;
    try {
      reply = await appendScript.run(this.client, keys, [
        parts.head,
        parts.tail,
        this.retention.maxEvents,
        this.retention.maxAgeMs,
        this.retention.maxBytes,
        newEpoch(),
        this.keys.live(userId),
        publishCommand(args.mode),
        Date.now(),
        `w:${this.serverId}`,
        args.appendId,
        event.runId,
        args.lease?.token ?? '',
        args.terminal ? '1' : '0',
        event.threadId,
        event.type === 'agent_started' ? event.payload.agentName : '',
        event.ts,
        inFlightTtlMs(this.retention),
      ]);
    } catch (error) {
      if (error instanceof ErrorReply && error.message.startsWith('FENCED')) {
        throw new RunFencedError(event.runId);
      }
      throw error;
    }
    const fields = replyArray(reply, 'append');
    const epoch = replyString(fields, 0, 'append');
    const seq = replyInteger(fields, 1, 'append');
    return {
      seq,
      event: sequenceChatEvent(event, seq),
      json: parts.head + seq + parts.tail,
      epoch,
    };
  }

  async position(userId: string): Promise<StreamSnapshot> {
    const reply = await readScript.run(
      this.client,
      [this.keys.meta(userId), this.keys.events(userId)],
      [
        newEpoch(),
        this.retention.maxEvents,
        this.retention.maxAgeMs,
        '',
        '',
        this.retention.maxBytes,
        Date.now(),
      ],
    );
    return parseSnapshot(replyArray(reply, 'read'));
  }

  async readSince(userId: string, afterSeq: number, epoch?: string): Promise<ReadSinceResult> {
    const valid = Number.isSafeInteger(afterSeq) && afterSeq >= 0;
    const reply = replyArray(
      await readScript.run(
        this.client,
        [this.keys.meta(userId), this.keys.events(userId)],
        [
          newEpoch(),
          this.retention.maxEvents,
          this.retention.maxAgeMs,
          valid ? afterSeq : '',
          epoch ?? '',
          this.retention.maxBytes,
          Date.now(),
        ],
      ),
      'read',
    );
    const position = parsePosition(reply);
    const complete = valid && replyInteger(reply, 3, 'read') === 1;
    return { ...position, complete, records: complete ? reply.slice(4).map(parseRecord) : [] };
  }
}

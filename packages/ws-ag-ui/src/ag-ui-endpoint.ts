import {
  followRun,
  wireErrorOf,
  type StreamEngine,
  type UserContext,
  type WebSocketHub,
} from '@app/ws-core';
import { readRunAgentInput } from './run-input';
import { runEventStream } from './run-event-stream';

/** The error codes of the AG-UI endpoints' refusals (the HTTP API's `{"error":{code}}`). */
export type AgUiRefusalCode =
  'invalid_request' | 'not_found' | 'gone' | 'rate_limited' | 'too_many_runs' | 'unavailable';

/** A request the endpoint refuses before any stream: an HTTP status and a JSON error. */
export interface AgUiRefusal {
  readonly ok: false;
  readonly status: 400 | 404 | 410 | 429 | 503;
  readonly code: AgUiRefusalCode;
  readonly message: string;
  /** Set: the response carries `Retry-After`. */
  readonly retryAfterMs?: number;
}

/** A run's AG-UI events as a `text/event-stream` body. */
export interface AgUiStream {
  readonly ok: true;
  readonly runId: string;
  readonly threadId: string;
  readonly body: ReadableStream<Uint8Array>;
}

/** What the AG-UI endpoints need. */
export interface AgUiEndpointOptions {
  /** The hub whose runs these are: `POST /ag-ui` starts ordinary runs with `manager.chat`. */
  readonly hub: WebSocketHub;
  /**
   * Whether the user ever had a run of this id (the conversation history): tells a run whose
   * events left retention (410) from one that never was (404), and keeps a client's run id
   * from naming a second run. Without it, both are judged by the retained stream alone.
   */
  readonly hasRun?: (userId: string, runId: string) => Promise<boolean>;
  /** Keep-alive comment after this much quiet, in ms. Default 15000. */
  readonly keepAliveMs?: number;
}

/** `POST /ag-ui`, `GET /ag-ui/runs/:runId/events` and `DELETE /ag-ui/runs/:runId` as calls. */
export interface AgUiEndpoint {
  /**
   * Starts a run from a `RunAgentInput` body and answers its AG-UI events: 400 for a body that
   * fails AG-UI's schema or the id rules, 404 for an unknown agent, 429 past the user's rate or
   * run limit, 503 while shutting down or when the engine cannot serve.
   */
  startRun(user: UserContext, body: unknown): Promise<AgUiStream | AgUiRefusal>;
  /**
   * A run's AG-UI events numbered above `lastEventId` (`Last-Event-ID` or `?after=`; absent: all),
   * then live ones to its terminal event: 400 for a position that is not a whole number, 404
   * for a run this user never had, 410 for one whose events left retention.
   */
  resumeRun(
    user: UserContext,
    runId: string,
    lastEventId: string | undefined,
  ): Promise<AgUiStream | AgUiRefusal>;
  /** Cancels one of the user's runs on whichever node runs it: true (202), or false (404). */
  cancelRun(user: UserContext, runId: string): Promise<boolean>;
}

const POSITION = /^\d{1,15}$/;

/**
 * The AG-UI endpoints over a hub (docs/interop.md#2-ag-ui-httpagent). A run they start is an
 * ordinary run of the user — their `/ws` tabs show it, history stores it, limits, rate limits
 * and cancel apply — and its AG-UI events come from the user's stream through `followRun`, so
 * any node can serve them, and resume them, alike.
 */
export function createAgUiEndpoint(options: AgUiEndpointOptions): AgUiEndpoint {
  const { hub, hasRun } = options;
  const streamOptions = { keepAliveMs: options.keepAliveMs };

  async function startRun(user: UserContext, body: unknown): Promise<AgUiStream | AgUiRefusal> {
    const decision = await hub.rateLimiter.consume(user.userId);
    if (!decision.allowed) {
      return refusal(429, 'rate_limited', 'Too many requests', decision.retryAfterMs);
    }
    const input = readRunAgentInput(body);
    if (!input.ok) return refusal(400, 'invalid_request', input.message);
    const preferred =
      input.runId !== undefined && !(await runIdUsed(hub.engine, user.userId, input.runId))
        ? input.runId
        : undefined;
    let ack: { runId: string; threadId: string };
    try {
      ack = await hub.getManager(user).chat({
        text: input.text,
        threadId: input.threadId,
        ...(input.agent !== undefined ? { agent: input.agent } : {}),
        ...(preferred !== undefined ? { runId: preferred } : {}),
      });
    } catch (error) {
      return chatRefusal(error);
    }
    return follow(user.userId, ack.runId, 0);
  }

  async function resumeRun(
    user: UserContext,
    runId: string,
    lastEventId: string | undefined,
  ): Promise<AgUiStream | AgUiRefusal> {
    const position = lastEventId?.trim() ?? '';
    if (position !== '' && !POSITION.test(position)) {
      return refusal(400, 'invalid_request', 'Last-Event-ID (or after) must be a whole number');
    }
    return follow(user.userId, runId, position === '' ? 0 : Number(position));
  }

  async function follow(
    userId: string,
    runId: string,
    afterId: number,
  ): Promise<AgUiStream | AgUiRefusal> {
    const found = await followRun(hub.engine, userId, { runId });
    if (found.ok) {
      const { feed } = found;
      const body = runEventStream(feed, { ...streamOptions, afterId });
      return { ok: true, runId: feed.runId, threadId: feed.threadId, body };
    }
    if (found.reason === 'incomplete' || (hasRun !== undefined && (await hasRun(userId, runId)))) {
      return refusal(410, 'gone', `The events of run ${runId} are no longer retained`);
    }
    return refusal(404, 'not_found', `There is no run ${runId}`);
  }

  /** A client run id names a run already when its events are retained or history has it. */
  async function runIdUsed(engine: StreamEngine, userId: string, runId: string): Promise<boolean> {
    const found = await followRun(engine, userId, { runId });
    if (found.ok) {
      await found.feed.close();
      return true;
    }
    if (found.reason === 'incomplete') return true;
    return hasRun !== undefined && (await hasRun(userId, runId));
  }

  return {
    startRun: (user, body) => guard(() => startRun(user, body)),
    resumeRun: (user, runId, lastEventId) => guard(() => resumeRun(user, runId, lastEventId)),
    cancelRun: (user, runId) => hub.getManager(user).cancelRun(runId),
  };
}

function refusal(
  status: AgUiRefusal['status'],
  code: AgUiRefusalCode,
  message: string,
  retryAfterMs?: number,
): AgUiRefusal {
  return retryAfterMs === undefined
    ? { ok: false, status, code, message }
    : { ok: false, status, code, message, retryAfterMs };
}

/** How a refused chat is answered over HTTP (the same failures as `/ws`'s `error` frame). */
function chatRefusal(error: unknown): AgUiRefusal {
  const wire = wireErrorOf(error);
  switch (wire?.code) {
    case 'unknown_agent':
      return refusal(404, 'not_found', wire.message);
    case 'too_many_runs':
      return refusal(429, 'too_many_runs', wire.message);
    case 'rate_limited':
      return refusal(429, 'rate_limited', wire.message, wire.retryAfterMs);
    case 'invalid_message':
      return refusal(400, 'invalid_request', wire.message);
    case 'unavailable':
      return refusal(503, 'unavailable', wire.message, wire.retryAfterMs);
    default:
      throw error;
  }
}

/** An engine that cannot serve is 503, as for every other request. */
async function guard<T>(call: () => Promise<T | AgUiRefusal>): Promise<T | AgUiRefusal> {
  try {
    return await call();
  } catch (error) {
    const wire = wireErrorOf(error);
    if (wire?.code === 'unavailable') {
      return refusal(503, 'unavailable', wire.message, wire.retryAfterMs);
    }
    throw error;
  }
}

import type { AgentCompletedPayload, RunStatus } from '@app/ws-protocol';
import { sizedPayloadJson } from './event-size';

/** The payload of a run's terminal `agent_completed`. */
export function completedPayload(
  status: RunStatus,
  response: string | undefined,
  error: { code: string; message: string } | undefined,
  durationMs: number,
): AgentCompletedPayload {
  return {
    status,
    ...(response !== undefined ? { response } : {}),
    ...(error !== undefined ? { error: { code: error.code, message: error.message } } : {}),
    durationMs,
  };
}

/**
 * The `response` of a run its agent ended by returning: the returned one, else the text it
 * streamed, else none; none too when it would make the terminal event larger than `limit`
 * (given the run's `envelope` bytes).
 */
export function agentResponse(
  result: { response?: string } | void,
  streamed: string | undefined,
  envelope: number,
  limit: number,
): string | undefined {
  const returned = result && typeof result.response === 'string' ? result.response : undefined;
  const response =
    returned ?? (streamed !== undefined && streamed.length > 0 ? streamed : undefined);
  if (response === undefined) return undefined;
  try {
    const payload = { status: 'success', response, durationMs: 0 };
    sizedPayloadJson(envelope, 'agent_completed', payload, limit);
    return response;
  } catch {
    // The deltas already carried the text; a response too large to repeat is left out.
    return undefined;
  }
}

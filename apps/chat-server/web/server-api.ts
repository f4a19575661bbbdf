/** The chat server's HTTP API as the page uses it: same origin, JSON, errors as `ApiError`. */
import type { Session } from './session-store.js';

/** An HTTP call that did not answer what the page needs. */
class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A thread as `GET /api/v1/threads` lists it. */
export interface ThreadSummary {
  threadId: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

/** A tool call as the history keeps it (no result: the answer says what came of it). */
export interface HistoryToolCall {
  name: string;
  args: Record<string, unknown>;
  ok: boolean;
  durationMs: number;
}

/** A message as `GET /api/v1/threads/:threadId/messages` lists it. */
export interface HistoryMessage {
  messageId: string;
  role: 'user' | 'assistant';
  /** The user's text, or the run's final response (`''` when it had none). */
  text: string;
  runId: string;
  /** Assistant messages: how the run ended. */
  status?: string;
  /** Assistant messages: the run's tool calls, in order. */
  tools?: HistoryToolCall[];
  createdAt: string;
}

/** An agent as `GET /api/v1/agents` lists it. */
export interface AgentInfo {
  name: string;
  description: string;
}

/** `POST /api/v1/dev/login`: a token for `userId` (development and test servers only). */
export async function devLogin(userId: string): Promise<Session> {
  const response = await fetch('/api/v1/dev/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  if (response.status === 404) {
    throw new ApiError(404, 'not_found', 'This server has no development login.');
  }
  const body = (await readJson(response)) as { token?: unknown; expiresAt?: unknown };
  if (typeof body.token !== 'string' || typeof body.expiresAt !== 'string') {
    throw new ApiError(response.status, 'invalid_response', 'The login answered without a token.');
  }
  return { userId, token: body.token, expiresAt: body.expiresAt };
}

/** `GET /api/v1/agents`; an empty list when the call fails (the server then uses its default). */
export async function listAgents(): Promise<AgentInfo[]> {
  try {
    const response = await fetch('/api/v1/agents');
    const body = await readJson(response);
    return Array.isArray(body) ? (body as AgentInfo[]) : [];
  } catch {
    return [];
  }
}

/**
 * `GET /api/v1/threads`: the caller's threads, newest first; `undefined` when the server keeps no
 * history (any answer but 200), so the page falls back to the threads of this session.
 */
export async function loadThreads(token: string): Promise<ThreadSummary[] | undefined> {
  return loadItems<ThreadSummary>('/api/v1/threads?limit=100', token);
}

/** `GET /api/v1/threads/:threadId/messages`, oldest first; `undefined` without history. */
export async function loadThreadMessages(
  token: string,
  threadId: string,
): Promise<HistoryMessage[] | undefined> {
  return loadItems<HistoryMessage>(
    `/api/v1/threads/${encodeURIComponent(threadId)}/messages?limit=100`,
    token,
  );
}

async function loadItems<T>(path: string, token: string): Promise<T[] | undefined> {
  try {
    const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
    if (response.status !== 200) return undefined;
    const body = (await response.json()) as { items?: unknown };
    return Array.isArray(body.items) ? (body.items as T[]) : undefined;
  } catch {
    return undefined;
  }
}

async function readJson(response: Response): Promise<unknown> {
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    throw new ApiError(
      response.status,
      typeof error?.code === 'string' ? error.code : 'http_error',
      typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`,
    );
  }
  return body;
}

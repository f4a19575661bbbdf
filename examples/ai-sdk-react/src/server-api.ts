import type { UIMessage } from 'ai';

/**
 * The chat server's HTTP API. Every URL is relative: the page and the API share an origin (the
 * Vite dev server and `vite preview` proxy `/api`, vite.config.ts), because the API sends no
 * CORS headers.
 */

/** A signed-in user: the dev login's JWT and when it expires. */
export interface Session {
  userId: string;
  token: string;
  /** ISO-8601. */
  expiresAt: string;
}

/** One thread of the user's history, as `GET /api/v1/threads` lists it. */
export interface ThreadSummary {
  threadId: string;
  title: string;
  updatedAt: string;
}

/** A response other than 2xx, with the server's `error.message` when it sent one. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** `POST /api/v1/dev/login`: a development JWT for `userId` (servers with the dev login on). */
export async function devLogin(userId: string): Promise<Session> {
  const body = await request<{ token: string; expiresAt: string }>('/api/v1/dev/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  return { userId, token: body.token, expiresAt: body.expiresAt };
}

/** `POST /api/v1/ws-ticket`: a single-use ticket for one WebSocket connection (valid ≤ 60 s). */
export async function fetchTicket(token: string): Promise<string> {
  const body = await request<{ ticket: string }>('/api/v1/ws-ticket', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
  return body.ticket;
}

/** `GET /api/v1/threads`: the user's newest threads. */
export async function listThreads(token: string): Promise<ThreadSummary[]> {
  const body = await request<{ items: ThreadSummary[] }>('/api/v1/threads?limit=50', {
    headers: { Authorization: `Bearer ${token}` },
  });
  return body.items;
}

/**
 * `GET /api/v1/threads/:threadId/ui-messages`: the thread as `UIMessage[]`, ready for
 * `useChat({ id: threadId, messages })`; a thread that does not exist yet has none.
 */
export async function fetchUiMessages(token: string, threadId: string): Promise<UIMessage[]> {
  try {
    return await request<UIMessage[]>(
      `/api/v1/threads/${encodeURIComponent(threadId)}/ui-messages`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return [];
    throw error;
  }
}

async function request<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as
      { error?: { message?: string } } | undefined;
    throw new ApiError(
      response.status,
      body?.error?.message ?? `${init.method ?? 'GET'} ${url} failed with HTTP ${response.status}`,
    );
  }
  return (await response.json()) as T;
}

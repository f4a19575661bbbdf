/** Small HTTP helpers for the history tests: the threads API with a user's token. */

/** A thread as `GET /api/v1/threads` lists it. */
export interface ThreadItem {
  threadId: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

/** A message as `GET /api/v1/threads/:threadId/messages` lists it. */
export interface MessageItem {
  messageId: string;
  role: 'user' | 'assistant';
  text: string;
  runId: string;
  status?: string;
  tools?: { name: string; args: Record<string, unknown>; ok: boolean; durationMs: number }[];
  createdAt: string;
}

/** One page. */
export interface PageBody<T> {
  items: T[];
  nextCursor: string | null;
}

/** `fetch` of the API with `Authorization: Bearer <token>`. */
export function api(url: string, token: string, path: string, method = 'GET'): Promise<Response> {
  return fetch(`${url}${path}`, { method, headers: { Authorization: `Bearer ${token}` } });
}

/** The JSON body of a 200 answer (throws with the body otherwise). */
export async function json<T>(response: Response | Promise<Response>): Promise<T> {
  const answered = await response;
  if (answered.status !== 200) {
    throw new Error(`expected 200, got ${answered.status}: ${await answered.text()}`);
  }
  return (await answered.json()) as T;
}

/** Every item of a listing, following `nextCursor`; also returns how many pages it took. */
export async function allPages<T>(
  url: string,
  token: string,
  path: string,
  limit: number,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query: string = `?limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
    const page: PageBody<T> = await json<PageBody<T>>(api(url, token, `${path}${query}`));
    pages += 1;
    if (pages > 1000) throw new Error('paging does not end');
    if (page.nextCursor !== null && page.items.length !== limit) {
      throw new Error(`a page before the last has ${page.items.length} items, not ${limit}`);
    }
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { items, pages };
}

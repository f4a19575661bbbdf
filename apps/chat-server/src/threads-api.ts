import type { Logger } from '@app/logging-ssot';
import type { TokenVerifier } from '@app/ws-routes';
import { Hono, type Context } from 'hono';
import { verifyBearer } from './bearer-auth.js';
import { HttpError } from './http-error.js';
import { isAppError } from '@app/ws-protocol';
import { toUIMessages } from '@app/ws-ai-sdk';
import { codes } from './error-codes.js';
import type { HistoryMessage, HistoryStore, Page, PageRequest } from './storage/history-store.js';

/** What {@link threadsRoutes} needs. */
export interface ThreadsApiDeps {
  /** The socket's verifier: the same tokens as `/ws` and `/api/v1/ws-ticket`. */
  verifier: TokenVerifier;
  store: HistoryStore;
  logger: Logger;
}

/** Items per page without `?limit=`. */
const DEFAULT_PAGE_LIMIT = 20;
/** The largest `?limit=`. */
const MAX_PAGE_LIMIT = 100;
/**
 * Thread ids the API addresses: 1 to 128 of `A-Z a-z 0-9 . _ : ~ -` (core makes `t_…`; a client
 * that picks its own ids should keep to these).
 */
const THREAD_ID_PATTERN = /^[A-Za-z0-9._:~-]{1,128}$/;

const LIMIT = /^\d{1,3}$/;

/**
 * The conversation history over HTTP, mounted at `/api/v1/threads`; every route needs
 * `Authorization: Bearer <JWT>` (401 without) and sees only the caller's own threads — another
 * user's thread is 404, exactly like a thread that does not exist.
 * - `GET /` → `{items:[{threadId,title,createdAt,updatedAt}], nextCursor}`, newest first;
 * - `GET /:threadId/messages` → `{items:[{messageId,role,text,runId,status?,tools?,createdAt}],
 *   nextCursor}`, oldest first;
 * - `GET /:threadId/ui-messages` → the whole thread as AI SDK `UIMessage[]`, oldest first
 *   (docs/interop.md#ui-messages; not paged);
 * - `DELETE /:threadId` → 204.
 *
 * Paging: `?limit=` 1–100 (default 20), `?cursor=` the previous page's `nextCursor` (null on the
 * last page). A bad thread id, limit or cursor is 400 `invalid_request`; a database that does not
 * answer is 503 `unavailable`.
 */
export function threadsRoutes(deps: ThreadsApiDeps): Hono {
  const { store, verifier, logger } = deps;
  const read = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (isAppError(error, codes.HISTORY_INVALID_CURSOR)) {
        throw new HttpError(400, 'invalid_request', `cursor is not valid: ${error.message}`);
      }
      logger.warn('History request failed', { what, error });
      throw new HttpError(503, 'unavailable', 'The conversation history is unavailable; try again');
    }
  };

  return new Hono()
    .get('/', async (c) => {
      const { userId } = await verifyBearer(c.req.header('Authorization'), verifier);
      const page = pageRequest(c);
      return c.json(await read('list threads', () => store.listThreads(userId, page)));
    })
    .get('/:threadId/messages', async (c) => {
      const { userId } = await verifyBearer(c.req.header('Authorization'), verifier);
      const threadId = threadIdParam(c.req.param('threadId'));
      const page = pageRequest(c);
      const result = await read('list messages', () => store.listMessages(userId, threadId, page));
      if (result === undefined) throw noSuchThread(threadId);
      return c.json(result);
    })
    .get('/:threadId/ui-messages', async (c) => {
      const { userId } = await verifyBearer(c.req.header('Authorization'), verifier);
      const threadId = threadIdParam(c.req.param('threadId'));
      const messages: HistoryMessage[] = [];
      let cursor: string | undefined;
      do {
        const page: Page<HistoryMessage> | undefined = await read('list ui messages', () =>
          store.listMessages(userId, threadId, {
            limit: MAX_PAGE_LIMIT,
            ...(cursor === undefined ? {} : { cursor }),
          }),
        );
        if (page === undefined) throw noSuchThread(threadId);
        messages.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return c.json(toUIMessages(messages));
    })
    .delete('/:threadId', async (c) => {
      const { userId } = await verifyBearer(c.req.header('Authorization'), verifier);
      const threadId = threadIdParam(c.req.param('threadId'));
      const deleted = await read('delete thread', () => store.deleteThread(userId, threadId));
      if (!deleted) throw noSuchThread(threadId);
      return c.body(null, 204);
    });
}

function threadIdParam(threadId: string): string {
  if (!THREAD_ID_PATTERN.test(threadId)) {
    throw new HttpError(
      400,
      'invalid_request',
      'threadId must be 1 to 128 characters of A-Z, a-z, 0-9, ".", "_", ":", "~" and "-"',
    );
  }
  return threadId;
}

function pageRequest(c: Context): PageRequest {
  const limitText = c.req.query('limit');
  let limit = DEFAULT_PAGE_LIMIT;
  if (limitText !== undefined && limitText !== '') {
    limit = LIMIT.test(limitText) ? Number(limitText) : Number.NaN;
    if (!(limit >= 1 && limit <= MAX_PAGE_LIMIT)) {
      throw new HttpError(
        400,
        'invalid_request',
        `limit must be an integer from 1 to ${MAX_PAGE_LIMIT} (got ${JSON.stringify(limitText.slice(0, 20))})`,
      );
    }
  }
  const cursor = c.req.query('cursor');
  return cursor === undefined || cursor === '' ? { limit } : { limit, cursor };
}

function noSuchThread(threadId: string): HttpError {
  return new HttpError(404, 'not_found', `There is no thread ${threadId}`);
}

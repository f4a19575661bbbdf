import type { AgUiEndpoint, AgUiRefusal, AgUiStream } from '@app/ws-ag-ui';
import { createUserContext } from '@app/ws-core';
import type { TokenVerifier } from '@app/ws-routes';
import { Hono, type Context } from 'hono';
import { verifyBearer } from './bearer-auth.js';
import { HttpError } from './http-error.js';

/** What {@link agUiRoutes} needs. */
export interface AgUiRoutesDeps {
  /** The socket's verifier: the same tokens as `/ws`. */
  verifier: TokenVerifier;
  /** The endpoints' logic, over the server's hub (`@app/ws-ag-ui`). */
  endpoint: AgUiEndpoint;
}

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  // Proxies that buffer responses (nginx) would hold the events back.
  'X-Accel-Buffering': 'no',
};

/**
 * AG-UI over HTTP, mounted at `/ag-ui` (docs/interop.md#2-ag-ui-httpagent); every route needs
 * `Authorization: Bearer <JWT>` (401 without), refusals are JSON errors sent before any stream:
 * - `POST /` with a `RunAgentInput` → `200 text/event-stream` of the run's AG-UI events;
 * - `GET /runs/:runId/events` (`Last-Event-ID: n` or `?after=n`) → the events after `n`, then
 *   live ones to the terminal event;
 * - `DELETE /runs/:runId` → 202, the run is cancelled on whichever node runs it.
 */
export function agUiRoutes(deps: AgUiRoutesDeps): Hono {
  const { verifier, endpoint } = deps;
  const user = async (c: Context) => {
    const { userId } = await verifyBearer(c.req.header('Authorization'), verifier);
    return createUserContext({ userId });
  };
  return new Hono()
    .post('/', async (c) => {
      const caller = await user(c);
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new HttpError(400, 'invalid_json', 'The request body must be valid JSON');
      }
      return respond(await endpoint.startRun(caller, body));
    })
    .get('/runs/:runId/events', async (c) => {
      const caller = await user(c);
      const position = c.req.header('Last-Event-ID') ?? c.req.query('after');
      return respond(await endpoint.resumeRun(caller, c.req.param('runId'), position));
    })
    .delete('/runs/:runId', async (c) => {
      const caller = await user(c);
      const runId = c.req.param('runId');
      if (!(await endpoint.cancelRun(caller, runId))) {
        throw new HttpError(404, 'not_found', `There is no run ${runId} in progress`);
      }
      return c.json({ runId, status: 'cancelling' }, 202);
    });
}

function respond(answer: AgUiStream | AgUiRefusal): Response {
  if (!answer.ok) {
    throw new HttpError(answer.status, answer.code, answer.message, answer.retryAfterMs);
  }
  return new Response(answer.body, { status: 200, headers: SSE_HEADERS });
}

import { Hono } from 'hono';
import { z } from 'zod';
import { readJsonBody } from './json-body.js';

/** What {@link testHookRoutes} acts on. */
export interface TestHookDeps {
  /** Terminates a user's sockets as a network failure would; returns how many. */
  dropUserConnections(userId: string): number;
}

const dropBody = z.object(
  {
    userId: z
      .string({ error: 'userId is required and must be a string' })
      .min(1, 'userId must not be empty'),
  },
  { error: 'The body must be a JSON object such as {"userId":"alice"}' },
);

/**
 * Hooks for tests, mounted at `/api/v1/test` only when `NODE_ENV=test`:
 * `POST /drop-connections` body `{"userId"}` → `{"dropped": n}`.
 */
export function testHookRoutes(deps: TestHookDeps): Hono {
  return new Hono().post('/drop-connections', async (c) => {
    const { userId } = await readJsonBody(c, dropBody);
    return c.json({ dropped: deps.dropUserConnections(userId) });
  });
}

import type { Context } from 'hono';
import type { z } from 'zod';
import { HttpError } from './http-error.js';

/**
 * Reads a request's JSON body (whatever its `Content-Type`, so `curl -d` works) and checks it
 * against `schema`.
 *
 * @param schema its messages are sent as they are, so they name the field
 * @throws {HttpError} 400 `invalid_json` when the body is not JSON, 400 `invalid_request` with
 *   the first schema issue otherwise
 */
export async function readJsonBody<S extends z.ZodType>(
  c: Context,
  schema: S,
): Promise<z.output<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new HttpError(400, 'invalid_json', 'The request body must be valid JSON');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new HttpError(
    400,
    'invalid_request',
    result.error.issues[0]?.message ?? 'The request body is invalid',
  );
}

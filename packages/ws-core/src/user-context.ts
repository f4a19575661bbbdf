import { InvalidUserContextError, UserContextRequiredError } from './errors';

/**
 * Who a manager serves. `userId` is the authenticated subject (the JWT `sub`); the other
 * fields are free for the caller (e.g. `roles`, `tenantId`) and are not interpreted here.
 */
export interface UserContext {
  readonly userId: string;
  readonly [key: string]: unknown;
}

/** Longest accepted user id, in characters. */
export const MAX_USER_ID_LENGTH = 128;

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** Returns why `userId` is not acceptable, or undefined when it is. */
function userIdProblem(userId: unknown): string | undefined {
  if (typeof userId !== 'string') return 'userId must be a string';
  if (userId.length === 0) return 'userId must not be empty';
  if (userId.length > MAX_USER_ID_LENGTH) {
    return `userId must be at most ${MAX_USER_ID_LENGTH} characters`;
  }
  if (CONTROL_CHARACTERS.test(userId)) return 'userId must not contain control characters';
  return undefined;
}

/**
 * Creates a frozen user context after validating the user id: non-empty, at most 128
 * characters, no control characters.
 *
 * @param fields `userId` (required) and any extra fields to carry along.
 * @throws InvalidUserContextError (`WS_INVALID_USER_CONTEXT`) when the id is not acceptable.
 */
export function createUserContext<T extends { userId: string }>(
  fields: T,
): Readonly<T> & UserContext {
  if (fields === null || typeof fields !== 'object') {
    throw new InvalidUserContextError('expected an object with a userId');
  }
  const problem = userIdProblem(fields.userId);
  if (problem !== undefined) throw new InvalidUserContextError(problem);
  return Object.freeze({ ...fields });
}

/**
 * Checks a context given to the factory (which may not come from {@link createUserContext}).
 * @internal
 */
export function assertUserContext(context: unknown): asserts context is UserContext {
  if (context === undefined || context === null) throw new UserContextRequiredError();
  if (typeof context !== 'object') throw new InvalidUserContextError('expected an object');
  const problem = userIdProblem((context as { userId?: unknown }).userId);
  if (problem !== undefined) throw new InvalidUserContextError(problem);
}

/**
 * The signed-in user, kept in `sessionStorage`: a reload of the tab stays signed in, another tab
 * signs in on its own, closing the tab forgets it.
 */

/** Who is signed in and with which token. */
export interface Session {
  userId: string;
  token: string;
  /** ISO-8601 expiry of `token`. */
  expiresAt: string;
}

const KEY = 'chat.session';

/** The stored session, or undefined when there is none (or it is unreadable). */
export function readSession(): Session | undefined {
  let raw: string | null;
  try {
    raw = sessionStorage.getItem(KEY);
  } catch {
    return undefined; // storage disabled: behave as signed out
  }
  if (raw === null) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<Session> | null;
    if (
      typeof value?.userId === 'string' &&
      typeof value.token === 'string' &&
      typeof value.expiresAt === 'string'
    ) {
      return { userId: value.userId, token: value.token, expiresAt: value.expiresAt };
    }
  } catch {
    // fall through: a corrupt entry counts as none
  }
  return undefined;
}

/** Stores `session` for this tab. */
export function saveSession(session: Session): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // storage disabled or full: the page still works, a reload asks to sign in again
  }
}

/** Forgets the session of this tab. */
export function clearSession(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing stored, nothing to clear
  }
}

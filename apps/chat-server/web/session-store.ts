/**
 * The signed-in user, kept per browser in `localStorage`: a reload and every other tab of the
 * browser open signed in, a renewed token is shared with them, and signing out in one tab signs
 * out all of them ({@link watchSession}, through the `storage` event).
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
    raw = localStorage.getItem(KEY);
  } catch {
    return undefined; // storage disabled: behave as signed out
  }
  return parseSession(raw);
}

/** Stores `session` for every tab of this browser. */
export function saveSession(session: Session): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // storage disabled or full: the page still works, a reload asks to sign in again
  }
}

/** Forgets the session in every tab of this browser. */
export function clearSession(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing stored, nothing to clear
  }
}

/**
 * Calls `onChange` when another tab of this browser signs in, renews its token or signs out
 * (`undefined`). The `storage` event fires in the other tabs only, never in the one that wrote.
 * Returns the function that stops watching.
 */
export function watchSession(onChange: (session: Session | undefined) => void): () => void {
  const listener = (event: StorageEvent): void => {
    if (event.storageArea !== localStorage) return;
    if (event.key !== KEY && event.key !== null) return; // null: the whole storage was cleared
    onChange(parseSession(event.key === null ? null : event.newValue));
  };
  window.addEventListener('storage', listener);
  return () => window.removeEventListener('storage', listener);
}

function parseSession(raw: string | null): Session | undefined {
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

import type { Session } from './server-api';

const KEY = 'ai-sdk-react-example.session';

/** The session kept for this tab (sessionStorage), or undefined when none or expired. */
export function loadSession(): Session | undefined {
  const text = sessionStorage.getItem(KEY);
  if (text === null) return undefined;
  try {
    const session = JSON.parse(text) as Session;
    if (Date.parse(session.expiresAt) > Date.now()) return session;
  } catch {
    // A damaged entry is the same as none.
  }
  sessionStorage.removeItem(KEY);
  return undefined;
}

/** Keeps `session` for this tab, or forgets it when undefined. */
export function saveSession(session: Session | undefined): void {
  if (session === undefined) sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, JSON.stringify(session));
}

/**
 * The client SDK's `getToken`: the session's token while it is fresh, a new one from the
 * development login when the server rejected it (close 4401), when the SDK asks for its refresh
 * before expiry, or when it is about to expire. A production page would ask its identity
 * provider here instead.
 */
import type { CredentialProvider } from '@app/ws-client';
import { devLogin } from './server-api.js';
import type { Session } from './session-store.js';

/** A token this close to its expiry is renewed before it is handed out. */
const RENEW_WITHIN_MS = 90_000;

/**
 * @param initial the signed-in session
 * @param onRenewed called with each renewed session (to store it)
 */
export function createTokenProvider(
  initial: Session,
  onRenewed: (session: Session) => void,
): CredentialProvider {
  let session = initial;
  let renewing: Promise<Session> | undefined;

  const renew = (): Promise<Session> => {
    renewing ??= devLogin(session.userId)
      .then((fresh) => {
        session = fresh;
        onRenewed(fresh);
        return fresh;
      })
      .finally(() => {
        renewing = undefined;
      });
    return renewing;
  };

  return async ({ reason }) => {
    const expiresInMs = Date.parse(session.expiresAt) - Date.now();
    const stale = !(expiresInMs > RENEW_WITHIN_MS);
    if (reason === 'rejected' || reason === 'refresh' || stale) return (await renew()).token;
    return session.token;
  };
}

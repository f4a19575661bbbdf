/**
 * The client SDK's `getToken`: the session's token while it is fresh, a new one from the
 * development login when the server rejected it (close 4401) or when it is about to expire (as
 * it is when the SDK asks for its refresh before expiry). A fresher token another tab of the browser stored
 * is taken instead of logging in again. A production page would ask its identity provider here.
 */
import type { CredentialProvider } from '@app/ws-client';
import { devLogin } from './server-api.js';
import type { Session } from './session-store.js';

/** A token this close to its expiry is renewed before it is handed out. */
const RENEW_WITHIN_MS = 90_000;

/** The token provider and what feeds it. */
export interface TokenProvider {
  readonly getToken: CredentialProvider;
  /** The session whose token is handed out now (for HTTP calls). */
  readonly session: Session;
  /** Another tab stored `session`: use it when it is fresher than the current one. */
  adopt(session: Session): void;
}

/**
 * @param initial the signed-in session
 * @param onRenewed called with each session this provider renewed (to store it)
 */
export function createTokenProvider(
  initial: Session,
  onRenewed: (session: Session) => void,
): TokenProvider {
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

  const getToken: CredentialProvider = async ({ reason }) => {
    const expiresInMs = Date.parse(session.expiresAt) - Date.now();
    const stale = !(expiresInMs > RENEW_WITHIN_MS);
    // A refresh comes at most 60 s before the expiry (the SDK's default), so the token is stale
    // by then, unless another tab stored a fresher one meanwhile.
    if (reason === 'rejected' || stale) return (await renew()).token;
    return session.token;
  };

  return {
    getToken,
    get session() {
      return session;
    },
    adopt(stored) {
      if (stored.userId !== session.userId) return;
      if (Date.parse(stored.expiresAt) > Date.parse(session.expiresAt)) session = stored;
    },
  };
}

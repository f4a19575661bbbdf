import type { ChatClientOptions, CredentialReason } from './client-options.js';
import type { ConnectCredential } from './connect-request.js';
import { ChatClientError } from './errors.js';

/**
 * Asks the application's `getToken`/`getTicket` for credentials, telling it why: `connect` for the
 * first attempt, `reconnect` for later ones, `rejected` after the server refused the last
 * credential (until a `welcome` proves a new one good), `refresh` for the `auth` before expiry.
 */
export class CredentialSource {
  readonly #options: Pick<ChatClientOptions, 'getToken' | 'getTicket'>;
  readonly #onError: (error: ChatClientError) => void;
  #reason: CredentialReason = 'connect';

  /** @param onError reports a provider that threw or returned no string (`credentials_unavailable`) */
  constructor(
    options: Pick<ChatClientOptions, 'getToken' | 'getTicket'>,
    onError: (error: ChatClientError) => void,
  ) {
    this.#options = options;
    this.#onError = onError;
  }

  /** The credential of the next connection attempt; `undefined` when none could be had (reported). */
  forAttempt(): Promise<ConnectCredential | undefined> {
    const reason = this.#reason;
    // `rejected` holds until a welcome: a provider that caches must not hand back the refused token.
    if (reason === 'connect') this.#reason = 'reconnect';
    return this.#fetch(reason);
  }

  /** The server welcomed the last credential. */
  accepted(): void {
    this.#reason = 'reconnect';
  }

  /** The server refused the last credential (close 4401): the next attempt asks for a fresh one. */
  rejected(): void {
    this.#reason = 'rejected';
  }

  /** A fresh JWT for `auth` (or, in ticket mode, to learn when the connection's JWT expires). */
  refreshToken(): Promise<string | undefined> {
    return this.#call(() => this.#options.getToken({ reason: 'refresh' }));
  }

  async #fetch(reason: CredentialReason): Promise<ConnectCredential | undefined> {
    const { getTicket } = this.#options;
    if (getTicket) {
      const ticket = await this.#call(() => getTicket({ reason }));
      return ticket === undefined ? undefined : { ticket };
    }
    const token = await this.#call(() => this.#options.getToken({ reason }));
    return token === undefined ? undefined : { token };
  }

  /** Runs a credential provider; a failure is reported as `credentials_unavailable`. */
  async #call(provide: () => string | Promise<string>): Promise<string | undefined> {
    try {
      const value = await provide();
      if (typeof value === 'string' && value.length > 0) return value;
      throw new TypeError('the credential provider returned no string');
    } catch (cause) {
      this.#onError(
        new ChatClientError('credentials_unavailable', 'Could not obtain a token or ticket', {
          cause,
        }),
      );
      return undefined;
    }
  }
}

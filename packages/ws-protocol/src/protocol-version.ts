/** The protocol version this package describes; sent as `welcome.protocol`. */
export const PROTOCOL_VERSION = 1;

/** The WebSocket subprotocol a v1 client offers and the server selects. */
export const SUBPROTOCOL = 'chat.v1';

/**
 * Prefix of a subprotocol that carries a credential (`bearer.<JWT>`), used by browsers that cannot
 * set headers. Such a client must also offer {@link SUBPROTOCOL}; the server never selects (echoes)
 * the credential-bearing one.
 */
export const BEARER_PROTOCOL_PREFIX = 'bearer.';

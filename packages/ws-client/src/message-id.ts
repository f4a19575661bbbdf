/**
 * A fresh client message id (`m_` and 24 hex digits): unique enough that the server's per-user
 * chat idempotency never confuses two messages. Uses `crypto.getRandomValues` (browsers, Node 20+),
 * falling back to `Math.random` where there is no Web Crypto.
 */
export function createMessageId(): string {
  const bytes = new Uint8Array(12);
  if (typeof globalThis.crypto?.getRandomValues === 'function') {
    globalThis.crypto.getRandomValues(bytes);
  } else {
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  }
  let hex = 'm_';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * HS256 tokens whose payload is written as raw JSON text, so a test can sign what a library
 * would refuse to write: `1e400`, ten-thousand-character subjects, control characters.
 */
import { createHmac } from 'node:crypto';
import { TEST_JWT_SECRET } from './test-server.js';

/** The token of `payload` (JSON text, signed as given) with the test secret. */
export function signRawToken(payload: string, secret = TEST_JWT_SECRET): string {
  const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
  const body = Buffer.from(payload, 'utf8').toString('base64url');
  const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}

/** Seconds since the epoch, `offsetSeconds` from now. */
export function epochSeconds(offsetSeconds = 0): number {
  return Math.floor(Date.now() / 1000) + offsetSeconds;
}

/** A token for `sub` valid for `validSeconds`, with `extra` JSON members (`"nbf":1e13`). */
export function tokenFor(sub: string, validSeconds = 3600, extra = ''): string {
  const claims = `"sub":${JSON.stringify(sub)},"exp":${epochSeconds(validSeconds)}`;
  return signRawToken(`{${claims}${extra === '' ? '' : `,${extra}`}}`);
}

import { isSensitiveKey } from './sensitive-key';

/** What a redacted value or token is replaced with. */
export const REDACTED = '[REDACTED]';

/** Strings longer than this many characters are cut, with their original length noted. */
export const MAX_STRING_LENGTH = 8192;

/**
 * Only this much of a huge string is scanned for secrets: everything past it is cut anyway,
 * and the margin keeps a token that straddles the cut from leaking its beginning.
 */
const SCAN_LENGTH = MAX_STRING_LENGTH + 16_384;

/**
 * Cheap pre-check: a string that mentions none of these cannot hold anything redactable, so
 * ordinary strings skip the replacement passes.
 */
const SUSPECT =
  /eyJ|bearer|token|passw|passphrase|secret|cookie|jwt|authori[sz]ation|api.?key|private.?key|credential/i;

/**
 * Three base64url segments starting `eyJ` (the signature may be empty for `alg: none`). The
 * lookbehind lets a match start only where a run of base64url characters starts, which keeps
 * the scan linear on hostile input such as `eyJeyJeyJ…`.
 */
const JWT = /(?<![\w-])eyJ[\w-]*\.[\w-]+\.[\w-]*/g;

/** `Bearer <token>` (header) and `bearer.<token>` (WebSocket subprotocol). */
const BEARER = /\b(bearer)(\s+|\.)[\w\-.~+/]+=*/gi;

/** `name=value` in query strings, form bodies, cookies and logfmt text. */
const KEY_VALUE_PAIR = /(^|[?&;,\s([{"'])([\w.-]{1,100})=([^&#;,\s"'<>()[\]{}]+)/g;

/** The `"name":` head of a property in JSON text (a raw frame or body logged as a string). */
const JSON_PROPERTY_HEAD = /"([^"\\]{1,100})"\s*:\s*/g;

function redactPair(match: string, lead: string, key: string): string {
  return isSensitiveKey(key) ? `${lead}${key}=${REDACTED}` : match;
}

/** Where the JSON value starting at `start` ends (a string, or a bare number/literal). */
function jsonValueEnd(text: string, start: number): number {
  if (text[start] !== '"') {
    let end = start;
    while (end < text.length && /[\w.+-]/.test(text[end] as string)) end += 1;
    return end;
  }
  for (let index = start + 1; index < text.length; index += 1) {
    const char = text[index];
    if (char === '\\') index += 1;
    else if (char === '"') return index + 1;
  }
  return text.length;
}

/**
 * Replaces the values of credential-named properties in JSON text. A loop rather than one
 * regular expression, so that only the values that are redacted get scanned, once each.
 */
function redactJsonProperties(text: string): string {
  JSON_PROPERTY_HEAD.lastIndex = 0;
  let result = '';
  let copied = 0;
  let match: RegExpExecArray | null;
  while ((match = JSON_PROPERTY_HEAD.exec(text)) !== null) {
    if (!isSensitiveKey(match[1] as string)) continue;
    const valueStart = JSON_PROPERTY_HEAD.lastIndex;
    const valueEnd = jsonValueEnd(text, valueStart);
    if (valueEnd === valueStart) continue;
    result += `${text.slice(copied, valueStart)}"${REDACTED}"`;
    copied = valueEnd;
    JSON_PROPERTY_HEAD.lastIndex = valueEnd;
  }
  return copied === 0 ? text : result + text.slice(copied);
}

/**
 * Redacts what looks like a credential anywhere inside `text` (JWTs, `Bearer …`, `bearer.…`,
 * `token=…` pairs, `"password": …` JSON properties, with key names judged like field names)
 * and truncates it past {@link MAX_STRING_LENGTH} characters to
 * `<first part>…[truncated, <original length> chars]`.
 * @param text - any string: a message, a field value, an error message or stack.
 */
export function redactString(text: string): string {
  const length = text.length;
  if (length < 7) return text;
  let result = length > SCAN_LENGTH ? text.slice(0, SCAN_LENGTH) : text;
  if (SUSPECT.test(result)) {
    result = result
      .replace(BEARER, `$1$2${REDACTED}`)
      .replace(JWT, REDACTED)
      .replace(KEY_VALUE_PAIR, redactPair);
    result = redactJsonProperties(result);
  }
  if (result.length > MAX_STRING_LENGTH || length > SCAN_LENGTH) {
    result = `${result.slice(0, MAX_STRING_LENGTH)}…[truncated, ${length} chars]`;
  }
  return result;
}

/**
 * Fragments that mark a key as holding a credential wherever they appear once separators are
 * removed: `x-api-key`, `apiKey`, `API_KEY`, `set-cookie`, `clientSecret`, `passwordHash`.
 */
const SENSITIVE_FRAGMENT =
  /password|passwd|passphrase|secret|cookie|jwt|authorization|apikey|privatekey|credential/;

/** `token`, `accessToken`, `refresh_token`, `csrftoken`, but not `promptTokens` or `tokenizer`. */
const TOKEN_WORD = /token$/;

/** Word boundaries inside camelCase / PascalCase keys (`accessToken`, `XApiKey`). */
const CAMEL_BOUNDARY = /([a-z0-9])([A-Z])|([A-Z])([A-Z][a-z])/g;

const NON_ALPHANUMERIC = /[^a-z0-9]+/;

const CACHE_LIMIT = 10_000;
const cache = new Map<string, boolean>();

function classify(key: string): boolean {
  const lower = key.toLowerCase();
  if (SENSITIVE_FRAGMENT.test(lower.replace(/[^a-z0-9]/g, ''))) return true;
  if (!lower.includes('token')) return false;
  const words = key.replace(CAMEL_BOUNDARY, '$1$3 $2$4').toLowerCase().split(NON_ALPHANUMERIC);
  return words.some((word) => TOKEN_WORD.test(word));
}

/**
 * Whether values under `key` are credentials and must be written as `[REDACTED]`.
 * Case-insensitive; results are cached because the same few keys are logged over and over.
 * @param key - a field name at any depth.
 */
export function isSensitiveKey(key: string): boolean {
  let sensitive = cache.get(key);
  if (sensitive === undefined) {
    sensitive = classify(key);
    if (cache.size < CACHE_LIMIT) cache.set(key, sensitive);
  }
  return sensitive;
}

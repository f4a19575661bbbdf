/**
 * Legacy wire paths (docs/protocol.md#endpoints-and-modes, docs/protocol.md#7-legacy-wire-mode): `/websocket` and `mode=legacy` select the legacy
 * flat frame format. `/api/v1/websocket` is the canonical endpoint's alias and is not legacy.
 */

/**
 * `/websocket` at the root of a path: the start of the string (or of a template part, so
 * `${base}/websocket` counts) or right after `scheme://host[:port]`; followed by the end, a query,
 * a fragment, a slash or whitespace. `src/websocket` or `./websocket` are not wire paths.
 */
const LEGACY_ENDPOINT = /(?:^|^[a-z][a-z0-9+.-]*:\/\/[^/\s?#]*)\/websocket(?=$|[?#/\s])/i;

/** `mode=legacy` as a query parameter or on its own. */
const LEGACY_MODE = /(?:^|[?&])mode=legacy(?=$|[&#\s])/;

/** The canonical endpoint that replaces the legacy wire paths. */
export const CANONICAL_ENDPOINT = '/ws';

/**
 * The legacy wire path a string literal's text contains, or `undefined`.
 * @param text the literal's cooked text (for templates: one part between substitutions)
 */
export function legacyWirePathIn(text: string): string | undefined {
  if (LEGACY_ENDPOINT.test(text)) return '/websocket';
  if (LEGACY_MODE.test(text)) return 'mode=legacy';
  return undefined;
}

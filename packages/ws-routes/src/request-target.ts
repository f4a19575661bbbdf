/**
 * How a connection speaks: protocol v1 (`chat.v1`), the flat legacy format
 * (docs/protocol.md#7-legacy-wire-mode), or the AI SDK's `WebSocketChatTransport` protocol
 * (`/ai-sdk/ws`, docs/interop.md#1-ai-sdk-websocketchattransport).
 */
export type WireMode = 'v1' | 'legacy' | 'ai-sdk';

/** The connect-time resume a request asks for (`?lastSeq=N&epoch=E`), or that its values are bad. */
export type ConnectResume = { lastSeq: number; epoch: string } | { malformed: true };

/** What an upgrade request's URL selects, or the status that refuses it. */
export type RequestTarget =
  | {
      ok: true;
      mode: WireMode;
      pathname: string;
      query: URLSearchParams;
      resume: ConnectResume | undefined;
    }
  | { ok: false; status: 404 | 400; pathname: string };

const V1_PATHS = new Set(['/ws', '/api/v1/websocket']);
const LEGACY_PATHS = new Set(['/websocket']);
const AI_SDK_PATH = '/ai-sdk/ws';
const MODES = new Map<string, WireMode>([
  ['v1', 'v1'],
  ['legacy', 'legacy'],
]);

/**
 * Reads an upgrade request's URL (docs/protocol.md#endpoints-and-modes): `/ws` and `/api/v1/websocket` are v1 (or legacy
 * with `?mode=legacy`), `/websocket` is legacy, `/ai-sdk/ws` is the AI SDK transport (its query
 * carries only the transport's `params`: no mode, no resume); any other path is 404 and a `mode`
 * other than `v1` or `legacy` is 400.
 */
export function readRequestTarget(url: string | undefined): RequestTarget {
  let parsed: URL;
  try {
    parsed = new URL(url ?? '/', 'http://localhost');
  } catch {
    return { ok: false, status: 404, pathname: '' };
  }
  const { pathname, searchParams: query } = parsed;
  if (pathname === AI_SDK_PATH)
    return { ok: true, mode: 'ai-sdk', pathname, query, resume: undefined };
  const isV1Path = V1_PATHS.has(pathname);
  if (!isV1Path && !LEGACY_PATHS.has(pathname)) return { ok: false, status: 404, pathname };

  const modeParam = query.get('mode');
  let mode: WireMode = isV1Path ? 'v1' : 'legacy';
  if (modeParam !== null) {
    const chosen = MODES.get(modeParam);
    if (chosen === undefined) return { ok: false, status: 400, pathname };
    if (isV1Path) mode = chosen;
  }
  return { ok: true, mode, pathname, query, resume: readConnectResume(query) };
}

/** `?lastSeq=N&epoch=E`: both well-formed, or `{malformed: true}` when either is given but bad. */
function readConnectResume(query: URLSearchParams): ConnectResume | undefined {
  const lastSeq = query.get('lastSeq');
  const epoch = query.get('epoch');
  if (lastSeq === null && epoch === null) return undefined;
  if (lastSeq === null || epoch === null || epoch === '' || !/^\d{1,15}$/.test(lastSeq)) {
    return { malformed: true };
  }
  return { lastSeq: Number(lastSeq), epoch };
}

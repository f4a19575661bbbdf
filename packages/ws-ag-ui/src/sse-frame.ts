import type { NumberedAgUiEvent } from './run-translator';

/**
 * One numbered AG-UI event as a Server-Sent Events message: `id: <n>`, then its JSON on one
 * `data:` line (JSON text has no raw line breaks), then the blank line that ends the message.
 * The `id` is what a browser's `EventSource` (or a client) sends back as `Last-Event-ID`.
 */
export function sseEventFrame(numbered: NumberedAgUiEvent): string {
  return `id: ${numbered.id}\ndata: ${JSON.stringify(numbered.event)}\n\n`;
}

/**
 * A comment line that keeps an idle response alive through proxies; clients ignore it (a
 * message with no `data:` line dispatches nothing).
 */
export const SSE_KEEP_ALIVE = ': keep-alive\n\n';

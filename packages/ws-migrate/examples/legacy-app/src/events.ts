// Shared event helpers, re-exported for the rest of the app.
import type { WebSocketConnectionManager } from '@app/ws-legacy/unified-manager';
import { getUnifiedLogger } from '@app/ws-legacy/logging';

export { CRITICAL_EVENTS } from '@app/ws-legacy';

const log = getUnifiedLogger('events');

export function announce(manager: WebSocketConnectionManager, text: string): void {
  log.debug('announce', { text });
  void manager;
}

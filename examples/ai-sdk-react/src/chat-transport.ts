import { WebSocketChatTransport, type UIMessage } from 'ai';
import { fetchTicket } from './server-api';

/**
 * `ai@7`'s `WebSocketChatTransport` against the chat server's `/ai-sdk/ws`. A browser cannot set
 * an `Authorization` header on a WebSocket, so every connection the transport opens (the first,
 * and each one after a drop) fetches a fresh single-use ticket through `params`, which the
 * transport resolves anew for each connection and sends as `?ticket=`.
 *
 * The other credential the endpoint takes is the subprotocol pair, fixed for the transport's
 * life: `protocols: ['ai-sdk', \`bearer.${token}\`]` (README.md).
 */
export function createChatTransport(token: string): WebSocketChatTransport<UIMessage> {
  return new WebSocketChatTransport<UIMessage>({
    url: '/ai-sdk/ws',
    params: async () => ({ ticket: await fetchTicket(token) }),
  });
}

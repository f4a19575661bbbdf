/**
 * A round-robin load balancer for the client SDK, as a `ws` WebSocket class: each connection
 * attempt goes to the next node in turn, whatever host the SDK was given (path and query are
 * kept), and every frame each connection received is recorded with the node it went to.
 */
import type { WebSocketConstructor } from '@app/ws-client';
import WebSocket from 'ws';
import type { Frame } from './chat-client.js';
import type { ChatNode } from './multi-node-cluster.js';

/** One connection the balancer made. */
export interface BalancedLeg {
  /** The node it went to. */
  readonly serverId: string;
  /** Every frame it received, parsed, in order. */
  readonly frames: Frame[];
  /** The close code, once closed. */
  closeCode?: number;
}

/** A WebSocket class that balances over `nodes` in turn, and what each connection got. */
export function balancedWebSocket(nodes: readonly ChatNode[]): {
  WebSocket: WebSocketConstructor;
  legs: BalancedLeg[];
} {
  const legs: BalancedLeg[] = [];
  let turn = 0;
  class Balanced extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      const target = nodes[turn++ % nodes.length]!;
      const asked = new URL(String(address));
      super(new URL(asked.pathname + asked.search, target.wsUrl), protocols);
      const leg: BalancedLeg = { serverId: target.serverId, frames: [] };
      legs.push(leg);
      this.on('message', (data: WebSocket.RawData) => {
        const text = Array.isArray(data)
          ? Buffer.concat(data).toString('utf8')
          : Buffer.from(data as ArrayBuffer).toString('utf8');
        leg.frames.push(JSON.parse(text) as Frame);
      });
      this.on('close', (code: number) => (leg.closeCode = code));
      // Refused or failed attempts surface through the SDK; nothing to do here.
      this.on('error', () => undefined);
    }
  }
  return { WebSocket: Balanced, legs };
}

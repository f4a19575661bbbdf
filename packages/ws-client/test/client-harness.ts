import { vi } from 'vitest';
import { createChatClient, type ChatClient } from '../src/chat-client.js';
import type { ChatClientEvents } from '../src/client-events.js';
import type { ChatClientOptions, CredentialProvider } from '../src/client-options.js';
import { createFakeWebSocket } from './fake-websocket.js';

/** Every event the client emitted, in order, as `[type, payload]`. */
type Recorded = [keyof ChatClientEvents, unknown][];

const RECORDED_TYPES: (keyof ChatClientEvents)[] = [
  'event',
  'state',
  'reset',
  'error',
  'welcome',
  'resumed',
  'run',
  'catch_up',
];

/**
 * A client on a fake WebSocket with fake timers: `random` 0.5 (so the backoff delays are 125, 250,
 * 500 … ms), liveness off unless given, `getToken` a mock returning `token-N` per call.
 */
export function startClient(overrides: Partial<ChatClientOptions> = {}) {
  const fake = createFakeWebSocket();
  let tokens = 0;
  const getToken = vi.fn<CredentialProvider>(() => `token-${++tokens}`);
  const client: ChatClient = createChatClient({
    url: 'wss://chat.test/ws',
    getToken,
    WebSocket: fake.WebSocket,
    random: () => 0.5,
    liveness: false,
    ...overrides,
  });
  const recorded: Recorded = [];
  for (const type of RECORDED_TYPES)
    client.on(type, (payload: unknown) => recorded.push([type, payload]));
  return {
    client,
    fake,
    getToken,
    recorded,
    /** Payloads recorded for one type. */
    of<K extends keyof ChatClientEvents>(type: K): ChatClientEvents[K][] {
      return recorded.filter(([t]) => t === type).map(([, p]) => p as ChatClientEvents[K]);
    },
  };
}

/** Lets pending promises (credential providers) and due timers run. */
export async function tick(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

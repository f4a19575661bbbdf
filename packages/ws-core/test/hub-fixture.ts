import { captureLogs, type LogCapture } from '@app/logging-ssot';
import type { ChatEvent } from '@app/ws-protocol';
import { afterEach, beforeEach, vi } from 'vitest';
import type { Agent, AgentContext } from '../src/agent';
import { createWebSocketHub, type WebSocketHub } from '../src/hub';
import type { HubOptions } from '../src/hub-settings';
import { createUserContext, type UserContext } from '../src/user-context';

/** Hubs made by a test file, closed after each test; logs captured silently. */
export function useHubs(): {
  make: (options?: HubOptions) => WebSocketHub;
  logs: () => LogCapture;
} {
  const hubs: WebSocketHub[] = [];
  let capture: LogCapture | undefined;
  beforeEach(() => {
    capture = captureLogs({ silent: true, level: 'debug' });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(hubs.splice(0).map((hub) => hub.close()));
    capture?.stop();
  });
  return {
    make: (options = {}) => {
      const hub = createWebSocketHub({ serverId: 'node-test', ...options });
      hubs.push(hub);
      return hub;
    },
    logs: () => capture!,
  };
}

export function user(userId: string): UserContext {
  return createUserContext({ userId });
}

/** An agent made of a function. */
export function agent(
  name: string,
  run: (ctx: AgentContext) => Promise<{ response?: string } | void>,
): Agent {
  return { name, description: `${name} (test)`, run };
}

/** Lets every pending promise callback run (works with real and fake timers). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  if (vi.isFakeTimers()) await vi.advanceTimersByTimeAsync(0);
  else await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** The events of one run, in order. */
export function runEvents(events: readonly ChatEvent[], runId: string): ChatEvent[] {
  return events.filter((e) => e.runId === runId);
}

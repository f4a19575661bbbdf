import type { Logger } from '@app/logging-ssot';
import type { AgentRegistry } from './agent-registry';
import type { ChatIdempotency } from './chat-idempotency';
import type { ChatEventMonitor } from './event-monitor';
import type { ResolvedHubSettings } from './hub-settings';
import type { WebSocketManager } from './manager';
import type { RunHooks } from './run-hooks';
import type { RunSupervisor } from './run-supervisor';
import type { StreamEngine } from './stream-engine';
import type { UserContext } from './user-context';

/** What a hub shares with its managers, connections and runs. @internal */
export interface HubRuntime {
  readonly engine: StreamEngine;
  readonly settings: ResolvedHubSettings;
  readonly monitor: ChatEventMonitor;
  readonly logger: Logger;
  readonly hooks: RunHooks;
  readonly agents: AgentRegistry;
  readonly chatIds: ChatIdempotency;
  readonly isShuttingDown: boolean;
  /** This node's runs in progress, by run id. */
  readonly runs: Map<string, RunSupervisor>;
  /** The user's current manager (a fresh one when the given one was evicted). */
  managerFor(context: UserContext): WebSocketManager;
  /** The manager has no connection and no run: start its idle countdown. */
  managerIdle(manager: WebSocketManager): void;
  /** The manager has a connection or a run again. */
  managerBusy(manager: WebSocketManager): void;
}

import { expect } from 'vitest';
import { ChatClient, type Frame } from './chat-client.js';
import type { ChatNode } from './multi-node-cluster.js';

/** The test clients one multi-node test file opens on its nodes, closed together at the end. */
export class NodeClients {
  readonly #clients: ChatClient[] = [];

  /** Connects to `node` with `token` (none: `?ticket=` in `query`; and `?lastSeq=&epoch=` etc.). */
  async connect(
    node: ChatNode,
    token: string | undefined,
    query: Record<string, string> = {},
  ): Promise<ChatClient> {
    const client = await ChatClient.connect(node.wsUrl, token, query);
    this.#clients.push(client);
    return client;
  }

  /** Closes every client opened so far (failures to close are ignored: the node may be gone). */
  async closeAll(): Promise<void> {
    await Promise.all(this.#clients.map((client) => client.close().catch(() => undefined)));
  }
}

/** Asserts that `events` carry the seqs `first, first + 1, …`: no gap, no duplicate. */
export function expectContiguous(events: readonly Frame[], first: number): void {
  expect(events.map((event) => event.seq)).toEqual(events.map((_event, index) => first + index));
}

/**
 * A run started over `/ai-sdk/ws` whose node dies (docs/interop.md#1-ai-sdk-websocketchattransport):
 * two real chat-server processes (the built `dist/main.js`) over one Redis; node A is killed in the
 * middle of the run, and a client that resumed the chat on node B sees the run end with the
 * mapped `error` chunk naming `node_lost`, then `end` — numbered on without a gap.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from './support/chat-client.js';
import { devLoginOn, type ChatNode } from './support/multi-node-cluster.js';
import { useRedisCluster } from './support/redis-cluster.js';

const cluster = useRedisCluster([{ serverId: 'node-a' }, { serverId: 'node-b' }]);
let a: ChatNode;
let b: ChatNode;

beforeAll(() => {
  [a, b] = ['node-a', 'node-b'].map((id) => cluster.node(id)) as [ChatNode, ChatNode];
});

const aiSdkSocket = (node: ChatNode, token: string): Promise<ChatClient> =>
  ChatClient.connect(node.wsUrl, token, {}, { path: '/ai-sdk/ws', protocol: 'ai-sdk' });

describe('a node dies under an AI SDK run', () => {
  it('ends the run, resumed on B, with error node_lost then end', async () => {
    const token = await devLoginOn(a, `ai-death-${randomBytes(4).toString('hex')}`);
    const chat = `chat_${randomBytes(6).toString('hex')}`;
    const onA = await aiSdkSocket(a, token);
    onA.send({
      type: 'send',
      requestId: 's1',
      id: chat,
      trigger: 'submit-message',
      messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'slow 20' }] }],
      headers: {},
      body: {},
    });
    await onA.waitFor(
      (f) => f.type === 'chunk' && /1\/20/.test(String((f.chunk as { delta?: string }).delta)),
      'the first second of slow 20',
    );

    const onB = await aiSdkSocket(b, token);
    try {
      onB.send({ type: 'resume', requestId: 'r1', id: chat, headers: {}, body: {} });
      await onB.waitFor((f) => f.requestId === 'r1' && f.type === 'chunk', 'a chunk on B');
      a.child.kill('SIGKILL');
      expect(await a.exited).toBe('SIGKILL');

      await onB.waitFor((f) => f.requestId === 'r1' && f.type === 'end', 'end on B');
      const chunks = onB.frames.filter((f) => f.requestId === 'r1' && f.type === 'chunk');
      expect(chunks.map((f) => f.sequence)).toEqual(chunks.map((_, i) => i));
      expect(chunks[0]?.chunk).toMatchObject({ type: 'start' });
      expect(chunks.at(-1)?.chunk).toEqual({
        type: 'error',
        errorText: expect.stringMatching(/^node_lost: /) as unknown,
      });
      expect(onB.frames.filter((f) => f.requestId === 'r1').at(-1)).toEqual({
        type: 'end',
        requestId: 'r1',
      });
    } finally {
      await onB.close();
      await onA.close().catch(() => undefined);
    }
  });
});

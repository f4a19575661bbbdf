import { captureLogs } from '@app/logging-ssot';
import { describe, expect, it } from 'vitest';
import {
  eventually,
  metricValue,
  SECRET,
  signToken,
  useTestServer,
  TestClient,
  upgradeResponse,
} from '../test/harness.js';
import { RoutesConfigError } from './errors.js';
import { createTokenVerifier } from './token-verifier.js';
import { attachWebSocketRoutes } from './websocket-routes.js';

const startTestServer = useTestServer();

describe('attachWebSocketRoutes', () => {
  it('closes every socket with 1001 on close() and refuses later upgrades with 503', async () => {
    const s = await startTestServer();
    const clients = [await TestClient.as(s, 'alice'), await TestClient.as(s, 'bob')];
    expect(s.routes.connectionCount).toBe(2);
    await s.routes.close();
    for (const client of clients) expect((await client.closed).code).toBe(1001);
    expect(s.routes.connectionCount).toBe(0);
    const late = await upgradeResponse(s.port, '/ws', {
      authorization: `Bearer ${await signToken('alice')}`,
    });
    expect(late.status).toBe(503);
    expect(JSON.parse(late.body).error).toBe('shutting_down');
    expect(await metricValue(s.registry, 'chat_ws_closes_total', { code: '1001' })).toBe(2);
  });

  it('drops one user’s sockets without a close frame', async () => {
    const s = await startTestServer();
    const tabs = [await TestClient.as(s, 'alice'), await TestClient.as(s, 'alice')];
    const bob = await TestClient.as(s, 'bob');
    expect(s.routes.dropUserConnections('alice')).toBe(2);
    for (const tab of tabs) expect((await tab.closed).code).toBe(1006);
    await eventually(() => s.routes.connectionCount === 1);
    bob.send({ type: 'ping', id: 1 });
    expect(await bob.next('pong')).toEqual({ type: 'pong', ref: 1 });
    expect(s.routes.dropUserConnections('nobody')).toBe(0);
  });

  it('logs each connection once opened and once closed, never a credential', async () => {
    const capture = captureLogs();
    try {
      const s = await startTestServer();
      const headerToken = await signToken('alice');
      const protocolToken = await signToken('alice', {
        expSec: Math.floor(Date.now() / 1000) + 200,
      });
      const ticketToken = await signToken('alice', { expSec: Math.floor(Date.now() / 1000) + 100 });
      const { ticket } = await s.tickets.issue(
        await createTokenVerifier({ secret: SECRET }).verify(ticketToken),
      );
      const viaHeader = await TestClient.open(s.url(), {
        headers: { authorization: `Bearer ${headerToken}` },
      });
      const viaProtocol = await TestClient.open(s.url(), {
        protocols: ['chat.v1', `bearer.${protocolToken}`],
      });
      const viaTicket = await TestClient.open(s.url(`/ws?ticket=${ticket}`));
      await upgradeResponse(s.port, `/ws?token=${headerToken}`);
      await upgradeResponse(s.port, `/ws?ticket=${ticket}`);
      viaHeader.send({ type: 'auth', id: 1, token: headerToken });
      await viaHeader.next('ack');
      for (const client of [viaHeader, viaProtocol, viaTicket]) {
        await client.next('welcome');
        client.ws.close(1000);
        await client.closed;
      }
      await eventually(() => s.routes.connectionCount === 0);

      const text = JSON.stringify(capture.entries);
      for (const secret of [headerToken, protocolToken, ticketToken, ticket]) {
        expect(text).not.toContain(secret);
      }
      const opened = capture.entries.filter((e) => e.message === 'connection opened');
      const closed = capture.entries.filter((e) => e.message === 'connection closed');
      expect(opened).toHaveLength(3);
      expect(closed).toHaveLength(3);
      expect(closed[0]).toMatchObject({
        userId: 'alice',
        connectionId: expect.stringMatching(/^c_/),
        code: 1000,
        durationMs: expect.any(Number),
      });
      expect(new Set(closed.map((e) => e.connectionId)).size).toBe(3);
    } finally {
      capture.stop();
    }
  });

  it('refuses options that cannot work', async () => {
    const s = await startTestServer();
    const auth = createTokenVerifier({ secret: SECRET });
    expect(() => attachWebSocketRoutes(s.server, { hub: s.hub, auth, heartbeatMs: 0 })).toThrow(
      RoutesConfigError,
    );
    expect(() =>
      attachWebSocketRoutes(s.server, { hub: s.hub, auth, allowedOrigins: ['nope'] }),
    ).toThrow(RoutesConfigError);
  });
});

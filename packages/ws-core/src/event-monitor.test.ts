import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { agent, flush, user, useHubs } from '../test/hub-fixture';
import { ChatEventMonitor } from './event-monitor';
import { FakeTransport } from './testing/fake-transport';

const hubs = useHubs();

function event(type: string, runId: string, payload: object, seq = 1) {
  return { type, seq, runId, threadId: 't', ts: new Date().toISOString(), payload } as never;
}

describe('ChatEventMonitor', () => {
  it('counts order violations in what was appended, independently of the emitter', () => {
    const monitor = new ChatEventMonitor();
    monitor.observe(event('agent_thinking', 'r_orphan', { text: '' })); // no agent_started
    monitor.observe(event('agent_started', 'r_1', { agentName: 'a', input: '' }));
    monitor.observe(
      event('tool_completed', 'r_1', { toolCallId: 'x', toolName: 't', ok: true, durationMs: 1 }),
    );
    monitor.observe(event('agent_completed', 'r_1', { status: 'success', durationMs: 5 }));
    monitor.observe(event('agent_thinking', 'r_1', { text: 'after the end' }));
    expect(monitor.snapshot()).toMatchObject({
      orderViolations: 3,
      activeRuns: 0,
      runsByStatus: { success: 1, error: 0, cancelled: 0, timeout: 0 },
    });
  });

  it('exports the metrics into a prom-client registry, without user ids', async () => {
    const registry = new Registry();
    const hub = hubs.make({
      metricsRegistry: registry,
      agents: [
        agent('a', async ({ emitter }) => {
          await emitter.thinking('x');
          return { response: 'y' };
        }),
      ],
    });
    const manager = hub.getManager(user('alice-secret-id'));
    await manager.connect(new FakeTransport(), { heartbeatMs: 1 });
    await manager.chat({ text: 'hi' });
    await flush();
    const text = await registry.metrics();
    for (const name of [
      'chat_ws_connections 1',
      'chat_ws_events_sent_total 4',
      'chat_runs_total{status="success"} 1',
      'chat_runs_active 0',
      'chat_run_stalls_total 0',
      'chat_run_order_violations_total 0',
      'chat_run_first_event_seconds_count 1',
      'chat_run_duration_seconds_count 1',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toContain('# TYPE chat_ws_resumes_total counter');
    expect(text).not.toContain('alice-secret-id');
    // A second hub on the same registry shares the metrics instead of failing to register.
    const other = hubs.make({ metricsRegistry: registry });
    await other.getManager(user('bob')).connect(new FakeTransport(), { heartbeatMs: 1 });
    expect(await registry.metrics()).toContain('chat_ws_connections 2');
  });
});

import { describe, expect, it } from 'vitest';
import { createRecordingContext, deltaText } from '../../test/support/recording-emitter.js';
import { MAX_SLOW_SECONDS, MAX_STREAM_DELTAS, createAssistantAgent } from './assistant-agent.js';

const agent = createAssistantAgent({
  now: () => new Date('2026-11-22T07:05:09.000Z'),
  slowTickMs: 5,
});

async function run(input: string) {
  const recording = createRecordingContext(input);
  const result = await agent.run(recording.ctx);
  return { ...recording, response: result ? result.response : undefined };
}

describe('assistant agent', () => {
  it('answers arithmetic with the calculator: thinking, tool, deltas', async () => {
    const { events, response } = await run('what is 12*(3+4)?');
    expect(events[0]).toMatchObject({ type: 'agent_thinking' });
    const tools = events.filter((event) => event.type.startsWith('tool_'));
    expect(tools).toEqual([
      {
        type: 'tool_executing',
        toolCallId: 'tc_1',
        toolName: 'calculator',
        args: { expression: '12*(3+4)' },
      },
      { type: 'tool_completed', toolCallId: 'tc_1', ok: true, result: 84 },
    ]);
    expect(response).toBe('12*(3+4) = 84.');
    expect(deltaText(events)).toBe(response);
    const lastTool = events.findIndex((event) => event.type === 'tool_completed');
    const firstDelta = events.findIndex((event) => event.type === 'agent_response_delta');
    expect(firstDelta).toBeGreaterThan(lastTool);
  });

  it('streams a longer answer in several deltas', async () => {
    const { events, response } = await run('hello there');
    expect(events.filter((event) => event.type === 'agent_response_delta').length).toBeGreaterThan(
      3,
    );
    expect(deltaText(events)).toBe(response);
    expect(response).toMatch(/demo assistant/);
  });

  it('explains a division by zero, without failing the run', async () => {
    const { events, response } = await run('what is 1/0');
    expect(events.find((event) => event.type === 'tool_completed')).toMatchObject({
      ok: false,
      error: { code: 'division_by_zero', message: 'Division by zero' },
    });
    expect(response).toMatch(/calculator tool failed \(division_by_zero/);
  });

  it('reads the clock for a time question', async () => {
    const { events, response } = await run('what time is it?');
    expect(events.find((event) => event.type === 'tool_executing')).toMatchObject({
      toolName: 'clock',
      args: {},
    });
    expect(response).toBe('It is 07:05:09 UTC on Sunday, 2026-11-22.');
  });

  it('uses both tools when asked both', async () => {
    const { events } = await run('what is 2+2 and what is the date today?');
    const names = events
      .filter((event) => event.type === 'tool_executing')
      .map((event) => event.toolName);
    expect(names).toEqual(['calculator', 'clock']);
  });

  it('"fail tool" makes the tool call fail and explains it', async () => {
    const { events, response } = await run('please fail tool on 2+2');
    expect(events.find((event) => event.type === 'tool_completed')).toMatchObject({
      ok: false,
      error: { code: 'tool_failed' },
    });
    expect(response).toMatch(/The calculator tool failed \(tool_failed/);
  });

  it('"fail tool" alone fails the clock', async () => {
    const { events } = await run('fail tool');
    expect(events.find((event) => event.type === 'tool_executing')).toMatchObject({
      toolName: 'clock',
    });
    expect(events.find((event) => event.type === 'tool_completed')).toMatchObject({ ok: false });
  });

  it('"crash agent" throws after thinking', async () => {
    const recording = createRecordingContext('crash agent now');
    await expect(agent.run(recording.ctx)).rejects.toThrow(/crashed on purpose/);
    expect(recording.events.every((event) => event.type === 'agent_thinking')).toBe(true);
  });

  it('"slow N" thinks once per tick', async () => {
    const { events, response } = await run('slow 3');
    expect(
      events.filter((event) => event.type === 'agent_thinking').map((event) => event.text),
    ).toEqual([
      'Reading your message…',
      'Working slowly… 1/3 s',
      'Working slowly… 2/3 s',
      'Working slowly… 3/3 s',
    ]);
    expect(response).toBe('Done after 3 seconds.');
  });

  it(`clamps "slow N" to ${MAX_SLOW_SECONDS}`, async () => {
    const { response } = await run('slow 99');
    expect(response).toBe(
      `Done after ${MAX_SLOW_SECONDS} seconds (you asked for 99; ${MAX_SLOW_SECONDS} is the most I do).`,
    );
  });

  it('stops "slow N" as soon as the signal aborts', async () => {
    const slowAgent = createAssistantAgent({ slowTickMs: 1000 });
    const recording = createRecordingContext('slow 30');
    const running = slowAgent.run(recording.ctx);
    setTimeout(() => recording.abort(), 20);
    await expect(running).rejects.toThrow();
    expect(recording.events).toHaveLength(1);
  });

  it('"stream N" answers with N one-word deltas and their concatenation', async () => {
    const { events, response } = await run('stream 5');
    const deltas = events.filter((event) => event.type === 'agent_response_delta');
    expect(deltas.map((event) => event.delta)).toEqual(['w1 ', 'w2 ', 'w3 ', 'w4 ', 'w5 ']);
    expect(response).toBe('w1 w2 w3 w4 w5 ');
    expect(events[0]).toMatchObject({ type: 'agent_thinking' });
  });

  it('"stream N at R" paces the same deltas', async () => {
    const { events, response } = await run('please stream 3 at 1000');
    expect(deltaText(events)).toBe('w1 w2 w3 ');
    expect(response).toBe('w1 w2 w3 ');
  });

  it(`clamps "stream N" to 1..${MAX_STREAM_DELTAS}`, async () => {
    const { events } = await run('stream 0');
    expect(deltaText(events)).toBe('w1 ');
    const { response } = await run('stream 99999');
    expect(response?.startsWith('w1 w2 ')).toBe(true);
    expect(response?.endsWith(`w${MAX_STREAM_DELTAS} `)).toBe(true);
  });

  it('stops a paced "stream N at R" as soon as the signal aborts', async () => {
    const recording = createRecordingContext('stream 100 at 1');
    const running = agent.run(recording.ctx);
    setTimeout(() => recording.abort(), 20);
    await expect(running).rejects.toThrow();
    expect(deltaText(recording.events)).toBe('w1 ');
  });
});

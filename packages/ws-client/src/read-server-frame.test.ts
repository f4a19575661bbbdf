import { describe, expect, it } from 'vitest';
import { streamEvent } from '../test/fake-websocket.js';
import { readServerFrame } from './read-server-frame.js';

const json = (value: unknown) => JSON.stringify(value);

describe('readServerFrame', () => {
  it('reads known stream events as events', () => {
    const frame = streamEvent(7, 'agent_started', { agentName: 'assistant', input: 'hi' });
    expect(readServerFrame(json(frame))).toEqual({ kind: 'event', event: frame });
  });

  it('keeps the seq of an event type it does not know', () => {
    expect(readServerFrame(json({ type: 'agent_dreaming', seq: 9 }))).toEqual({
      kind: 'unknown_event',
      seq: 9,
    });
  });

  it('ignores control frames it does not know', () => {
    expect(readServerFrame(json({ type: 'server_notice', text: 'hi' }))).toEqual({
      kind: 'unknown_control',
    });
  });

  it.each([
    { type: 'welcome', protocol: 1, epoch: 'e', seq: 0 },
    { type: 'ack', ref: 'm1', runId: 'r', threadId: 't' },
    { type: 'ack', ref: 7 },
    { type: 'error', code: 'not_found', message: 'no such run' },
    {
      type: 'resumed',
      complete: true,
      fromSeq: 1,
      toSeq: 3,
      replayed: 3,
      oldestSeq: 1,
      latestSeq: 3,
    },
    { type: 'pong' },
  ])('reads control frame $type', (frame) => {
    expect(readServerFrame(json(frame))).toEqual({ kind: 'control', frame });
  });

  it.each([
    ['not JSON', '{'],
    ['an array', '[]'],
    ['null', 'null'],
    ['no type', json({ seq: 1 })],
    ['a welcome without epoch', json({ type: 'welcome', seq: 0 })],
    ['an ack without ref', json({ type: 'ack' })],
    ['an error without code', json({ type: 'error', message: 'x' })],
    ['a resumed without complete', json({ type: 'resumed', toSeq: 1, replayed: 0, latestSeq: 1 })],
  ])('refuses %s', (_label, text) => {
    expect(readServerFrame(text)).toBeUndefined();
  });
});

import type { ChatEvent, ControlFrame } from '@app/ws-protocol';
import { isEventType } from '@app/ws-protocol/constants';

/** A server frame, sorted by what the client does with it. */
export type InboundFrame =
  | { kind: 'control'; frame: ControlFrame }
  | { kind: 'event'; event: ChatEvent }
  /** A stream event of a type this client does not know (a newer server): it still takes its `seq`. */
  | { kind: 'unknown_event'; seq: number }
  /** A control frame of a type this client does not know: ignored. */
  | { kind: 'unknown_control' };

type Fields = Record<string, unknown>;

/**
 * Reads one text frame. `undefined` when it is not a JSON object with a string `type`, or when a
 * frame the client acts on lacks the fields it acts on (the server is trusted for the rest: this
 * is a shape check, not the full schema, so that the browser bundle stays free of zod).
 */
export function readServerFrame(text: string): InboundFrame | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const frame = value as Fields;
  const { type } = frame;
  if (typeof type !== 'string') return undefined;
  switch (type) {
    case 'welcome':
      return isNumber(frame.seq) && typeof frame.epoch === 'string' ? control(frame) : undefined;
    case 'ack':
      return isMessageId(frame.ref) ? control(frame) : undefined;
    case 'error':
      return typeof frame.code === 'string' ? control(frame) : undefined;
    case 'resumed':
      return typeof frame.complete === 'boolean' &&
        isNumber(frame.toSeq) &&
        isNumber(frame.replayed) &&
        isNumber(frame.latestSeq)
        ? control(frame)
        : undefined;
    case 'pong':
      return control(frame);
  }
  if (!isNumber(frame.seq)) return { kind: 'unknown_control' };
  if (!isEventType(type)) return { kind: 'unknown_event', seq: frame.seq };
  return { kind: 'event', event: frame as unknown as ChatEvent };
}

function control(frame: Fields): InboundFrame {
  return { kind: 'control', frame: frame as unknown as ControlFrame };
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isMessageId(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number';
}

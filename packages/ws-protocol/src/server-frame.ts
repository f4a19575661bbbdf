import type { ChatEvent } from './chat-event.js';
import type { ControlFrame } from './control-frames.js';

/** Anything the server sends on a v1 connection. */
export type ServerFrame = ChatEvent | ControlFrame;

/** The wire text of a frame: its JSON, as sent in one WebSocket text frame. */
export function serializeFrame(frame: ServerFrame): string {
  return JSON.stringify(frame);
}

import {
  createDeprecationNotice,
  isChatEvent,
  parseLegacyClientMessage,
  parseClientMessage,
  serializeFrame,
  toLegacyEvent,
  type ParseResult,
  type ServerFrame,
} from '@app/ws-protocol';
import type { WireMode } from './request-target.js';

/** The first frame of a legacy-mode connection (docs/protocol.md#7-legacy-wire-mode), as wire text. */
export function deprecationNoticeText(): string {
  return JSON.stringify(createDeprecationNotice());
}

/**
 * The encoder of a legacy-mode connection, given to core's `connect`: stream events become flat
 * events, `welcome` and `resumed` are not sent (the flat format has neither), and the other
 * control frames (`pong`, `ack`, `error`) keep their v1 shape, as docs/protocol.md#7-legacy-wire-mode says for errors.
 */
export function legacyFrameEncoder(userId: string): (frame: ServerFrame) => string | undefined {
  return (frame) => {
    if (isChatEvent(frame)) {
      const flat = toLegacyEvent(frame, userId);
      return flat === undefined ? undefined : JSON.stringify(flat);
    }
    if (frame.type === 'welcome' || frame.type === 'resumed') return undefined;
    return serializeFrame(frame);
  };
}

/** The inbound parser of a wire mode. */
export function inboundParser(mode: WireMode): (data: string) => ParseResult {
  return mode === 'legacy' ? parseLegacyClientMessage : parseClientMessage;
}

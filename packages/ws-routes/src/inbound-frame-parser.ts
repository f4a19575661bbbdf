import type { ClientMessage, ControlFrame } from '@app/ws-protocol';
import type { RawData } from 'ws';
import { errorFrame } from './inbound-dispatcher.js';
import { inboundParser } from './legacy-mode.js';
import { rawText } from './raw-text.js';
import type { WireMode } from './request-target.js';

/** An inbound frame as a client message, or the error frame that refuses it. */
export type InboundFrameResult =
  | { readonly ok: true; readonly message: ClientMessage }
  | { readonly ok: false; readonly refusal: ControlFrame };

/** Reads one inbound frame with the wire mode's parser; binary frames are refused. */
export function parseInboundFrame(
  mode: WireMode,
  data: RawData,
  isBinary: boolean,
): InboundFrameResult {
  if (isBinary) {
    return { ok: false, refusal: errorFrame('invalid_message', 'binary frames are not accepted') };
  }
  const parsed = inboundParser(mode)(rawText(data));
  return parsed.ok ? parsed : { ok: false, refusal: { type: 'error', ...parsed.error } };
}

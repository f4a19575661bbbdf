/**
 * Sizes fixed by the protocol. Lengths count characters (Unicode code points); byte sizes count
 * UTF-8 bytes of the frame's JSON text.
 */
export const LIMITS = {
  /** `chat.text` is 1 to this many characters. */
  maxTextLength: 16384,
  /** A client message `id` given as a string is 1 to this many characters; so are `threadId` and `agent`. */
  maxIdLength: 128,
  /** An event's JSON is at most this many bytes (64 KiB); larger ones are refused at the emitter. */
  maxEventBytes: 65536,
  /** The server's default maximum inbound frame size (64 KiB); larger frames close with 1009. */
  maxInboundBytes: 65536,
  /** The server's default bound of events in one run (docs/protocol.md#8-joining-mid-run). */
  maxRunEvents: 20000,
  /** The server's default bound of one run's event JSON, in bytes (8 MiB). */
  maxRunBytes: 8388608,
  /** The server's default byte bound of a user's retained events (1 MiB; `resumeWindow.maxBytes`). */
  maxResumeBytes: 1048576,
} as const;

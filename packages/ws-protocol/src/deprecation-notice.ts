/** The first frame of a legacy-mode connection (docs/protocol.md#7-legacy-wire-mode). */
export interface DeprecationNoticeFrame {
  type: 'deprecation_notice';
  message: string;
  replacement: '/ws (protocol chat.v1)';
}

/** The deprecation notice a legacy-mode connection receives first, before any event. */
export function createDeprecationNotice(): DeprecationNoticeFrame {
  return {
    type: 'deprecation_notice',
    message:
      'This flat event format is deprecated and will be removed. Connect to /ws with the ' +
      'chat.v1 subprotocol instead.',
    replacement: '/ws (protocol chat.v1)',
  };
}

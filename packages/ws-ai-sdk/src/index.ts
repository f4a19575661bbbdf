export {
  toUIMessageChunks,
  UIMessageChunkTranslator,
  type SequencedChunk,
} from './chunk-translator.js';
export {
  DEFAULT_AGENT,
  isChatId,
  readChatRequest,
  readTransportRequest,
  type ChatRequest,
  type ReadRequestResult,
  type TransportRequest,
} from './transport-request.js';
export { AI_SDK_SUBPROTOCOL, transportResponse } from './transport-response.js';
export { toUIMessages, type StoredMessage, type StoredToolCall } from './ui-messages.js';

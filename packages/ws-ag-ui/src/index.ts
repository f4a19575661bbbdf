export {
  AgUiRunTranslator,
  isTerminalAgUiEvent,
  translateRunEvents,
  type AgUiRunEvent,
  type NumberedAgUiEvent,
  type RunEventInput,
} from './run-translator';
export { SSE_KEEP_ALIVE, sseEventFrame } from './sse-frame';
export {
  CLIENT_ID_PATTERN,
  lastUserText,
  readRunAgentInput,
  type RunAgentInputResult,
} from './run-input';
export {
  DEFAULT_KEEP_ALIVE_MS,
  runEventStream,
  type RunEventStreamOptions,
} from './run-event-stream';
export {
  createAgUiEndpoint,
  type AgUiEndpoint,
  type AgUiEndpointOptions,
  type AgUiRefusal,
  type AgUiRefusalCode,
  type AgUiStream,
} from './ag-ui-endpoint';

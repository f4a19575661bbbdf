/**
 * The error registry of the chat server (docs/errors.md#chat-server): the `code` of every error
 * it throws, each never reused for another meaning. Error classes take their code from here;
 * recognise them with `isAppError(error, codes.X)` of `@app/ws-protocol`.
 */
export const codes = Object.freeze({
  /** The configuration read from the environment is invalid; the server does not start. */
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** A paging cursor that this server did not make, or made for another listing. */
  HISTORY_INVALID_CURSOR: 'HISTORY_INVALID_CURSOR',
  /** `DATA_DIR` holds an embedded database another live process has open. */
  HISTORY_DATA_DIR_LOCKED: 'HISTORY_DATA_DIR_LOCKED',
  /** A migration failed at start; the server does not start on a half-migrated schema. */
  HISTORY_MIGRATION_FAILED: 'HISTORY_MIGRATION_FAILED',
  /** The model API refused the request, or its stream broke off. */
  LLM_REQUEST_FAILED: 'LLM_REQUEST_FAILED',
} as const);

/** Messages of the server to its PGlite worker thread (`pglite-worker.ts`). */
export type ToPgliteWorker =
  /** Wire protocol bytes (whole messages) to execute. */
  | { readonly type: 'exec'; readonly id: number; readonly bytes: Uint8Array }
  /** Close the database, answer `closed`, end. */
  | { readonly type: 'close' };

/** Messages of the PGlite worker thread to the server. */
export type FromPgliteWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'answer'; readonly id: number; readonly bytes: Uint8Array }
  | { readonly type: 'error'; readonly id: number; readonly message: string }
  | {
      readonly type: 'log';
      readonly level: 'warn' | 'debug';
      readonly message: string;
      readonly fields: Record<string, unknown>;
    }
  | { readonly type: 'closed' };

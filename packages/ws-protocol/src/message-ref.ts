import { messageIdSchema } from './client-message-schemas.js';
import type { MessageId } from './client-messages.js';

/** The `ref` to echo for a frame's `id`: the id exactly as given when valid, else `undefined`. */
export function messageRef(id: unknown): MessageId | undefined {
  if (id === undefined) return undefined;
  const result = messageIdSchema.safeParse(id);
  return result.success ? result.data : undefined;
}

import { z } from 'zod';
import { hasAtMostCharacters } from './character-length.js';
import { LIMITS } from './limits.js';

/**
 * A string of 1 to `max` characters (code points) whose every failure — wrong type, empty, too
 * long — reads as one sentence naming the field.
 */
function boundedString(max: number, error: string) {
  return z
    .string({ error })
    .min(1, { error })
    .refine((text) => hasAtMostCharacters(text, max), { error });
}

/** A string with at least one character. */
function nonEmptyString(error: string) {
  return z.string({ error }).min(1, { error });
}

const ID_ERROR = `id must be a string of 1 to ${LIMITS.maxIdLength} characters or a number`;

/** A client message `id`: a string of 1 to 128 characters or a finite number. */
export const messageIdSchema = z.union(
  [boundedString(LIMITS.maxIdLength, ID_ERROR), z.number({ error: ID_ERROR })],
  { error: ID_ERROR },
);

/** `{type: 'ping', id?}`. Unknown fields are ignored (dropped from the output). */
export const pingMessageSchema = z.object({
  type: z.literal('ping'),
  id: messageIdSchema.optional(),
});

/** `{type: 'chat', id?, text, threadId?, agent?}`. Unknown fields are ignored. */
export const chatMessageSchema = z.object({
  type: z.literal('chat'),
  id: messageIdSchema.optional(),
  text: boundedString(
    LIMITS.maxTextLength,
    `chat.text must be 1 to ${LIMITS.maxTextLength} characters`,
  ),
  threadId: boundedString(
    LIMITS.maxIdLength,
    `chat.threadId must be a string of 1 to ${LIMITS.maxIdLength} characters`,
  ).optional(),
  agent: boundedString(
    LIMITS.maxIdLength,
    `chat.agent must be a string of 1 to ${LIMITS.maxIdLength} characters`,
  ).optional(),
});

/** `{type: 'cancel', id?, runId}`. Unknown fields are ignored. */
export const cancelMessageSchema = z.object({
  type: z.literal('cancel'),
  id: messageIdSchema.optional(),
  runId: nonEmptyString('cancel.runId must be a non-empty string'),
});

const LAST_SEQ_ERROR = 'resume.lastSeq must be an integer >= 0';

/** `{type: 'resume', id?, lastSeq, epoch}`. Unknown fields are ignored. */
export const resumeMessageSchema = z.object({
  type: z.literal('resume'),
  id: messageIdSchema.optional(),
  lastSeq: z.int({ error: LAST_SEQ_ERROR }).min(0, { error: LAST_SEQ_ERROR }),
  epoch: nonEmptyString('resume.epoch must be a non-empty string'),
});

/** `{type: 'auth', id?, token}`. Unknown fields are ignored. */
export const authMessageSchema = z.object({
  type: z.literal('auth'),
  id: messageIdSchema.optional(),
  token: nonEmptyString('auth.token must be a non-empty string'),
});

/**
 * Any client message, discriminated on `type`. `parseClientMessage` is the faster path for raw
 * frames and tells `unknown_type` apart; this schema serves callers that hold a parsed object.
 */
export const clientMessageSchema = z.discriminatedUnion(
  'type',
  [
    pingMessageSchema,
    chatMessageSchema,
    cancelMessageSchema,
    resumeMessageSchema,
    authMessageSchema,
  ],
  { error: 'type must be one of ping, chat, cancel, resume, auth' },
);

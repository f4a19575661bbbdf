import { createPublicKey } from 'node:crypto';
import { z } from 'zod';

/**
 * The zod schema of every environment variable the server reads, one field per variable. Each
 * field only checks and converts its own value; defaults and the rules that relate several
 * variables live in `config.ts`. Every message completes the sentence "`NAME` …".
 */

const POSITIVE_INTEGER = 'must be a positive integer';

function positiveInteger(): z.ZodType<number, string> {
  return z
    .string()
    .trim()
    .regex(/^\d+$/, POSITIVE_INTEGER)
    .transform(Number)
    .pipe(z.number().int().min(1, POSITIVE_INTEGER).max(Number.MAX_SAFE_INTEGER, POSITIVE_INTEGER));
}

const PORT_MESSAGE = 'must be a port number from 0 to 65535';
const port = z
  .string()
  .trim()
  .regex(/^\d+$/, PORT_MESSAGE)
  .transform(Number)
  .pipe(z.number().int().min(0, PORT_MESSAGE).max(65535, PORT_MESSAGE));

const HOPS_MESSAGE = 'must be a number of trusted proxy hops from 0 (off) to 32';
const proxyHops = z
  .string()
  .trim()
  .regex(/^\d+$/, HOPS_MESSAGE)
  .transform(Number)
  .pipe(z.number().int().min(0, HOPS_MESSAGE).max(32, HOPS_MESSAGE));

const flag = z.stringbool({
  truthy: ['1', 'true', 'on', 'yes'],
  falsy: ['0', 'false', 'off', 'no'],
  error: 'must be 1 or 0',
});

function url(protocol: RegExp, what: string): z.ZodType<string, string> {
  return z.url({ protocol, error: `must be a valid ${what} URL` });
}

function isOrigin(candidate: string): boolean {
  try {
    const parsed = new URL(candidate);
    return (
      (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === candidate
    );
  } catch {
    return false;
  }
}

const ORIGINS_MESSAGE =
  'must be a comma-separated list of origins such as https://chat.example.com';
const origins = z
  .string()
  .transform((raw) =>
    raw
      .split(',')
      .map((origin) => origin.trim().replace(/\/$/, ''))
      .filter((origin) => origin.length > 0),
  )
  .pipe(z.array(z.string().refine(isOrigin, ORIGINS_MESSAGE)).min(1, ORIGINS_MESSAGE));

/** PEM text in an environment variable often arrives with literal `\n`; accept both forms. */
const publicKey = z
  .string()
  .transform((raw) => raw.replace(/\\n/g, '\n').trim())
  .refine((pem) => !pem.includes('PRIVATE KEY'), 'must be a public key, never a private key')
  .refine((pem) => {
    try {
      createPublicKey(pem);
      return true;
    } catch {
      return false;
    }
  }, 'must be a PEM public key (-----BEGIN PUBLIC KEY-----)');

const printable = (max: number): z.ZodType<string, string> =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .regex(/^[^\s\p{Cc}]+$/u, 'must not contain spaces or control characters');

/** Variables whose value must never be echoed in an error message. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'JWT_SECRET',
  'JWT_PUBLIC_KEY',
  'LLM_API_KEY',
  'DATABASE_URL',
  'REDIS_URL',
  'METRICS_TOKEN',
]);

/** Every variable is optional here: an unset or empty variable takes its default in `config.ts`. */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production'], {
      error: 'must be one of development, test, production',
    }),
    PORT: port,
    HOST: printable(253),
    LOG_LEVEL: z
      .string()
      .transform((raw) =>
        raw.trim().toLowerCase() === 'warning' ? 'warn' : raw.trim().toLowerCase(),
      )
      .pipe(
        z.enum(['debug', 'info', 'warn', 'error'], {
          error: 'must be one of debug, info, warn, error',
        }),
      ),
    LOG_FORMAT: z
      .string()
      .transform((raw) => raw.trim().toLowerCase())
      .pipe(z.enum(['pretty', 'json'], { error: 'must be one of pretty, json' })),
    SERVER_ID: printable(128),
    JWT_SECRET: z.string(),
    JWT_PUBLIC_KEY: publicKey,
    JWT_JWKS_URL: url(/^https?$/, 'http:// or https://'),
    JWT_ISSUER: z.string().max(1024, 'must be at most 1024 characters'),
    JWT_AUDIENCE: z.string().max(1024, 'must be at most 1024 characters'),
    DEV_LOGIN: flag,
    ALLOWED_ORIGINS: origins,
    TRUST_PROXY: proxyHops,
    WS_HEARTBEAT_MS: positiveInteger(),
    WS_MAX_CONNECTIONS_PER_USER: positiveInteger(),
    WS_CONNECT_ATTEMPTS_PER_MINUTE: positiveInteger(),
    WS_RATE_PER_SECOND: positiveInteger(),
    WS_RATE_BURST: positiveInteger(),
    WS_MAX_RUNS_PER_USER: positiveInteger(),
    WS_OUTBOUND_LIMIT_BYTES: positiveInteger(),
    WS_RESUME_MAX_EVENTS: positiveInteger(),
    WS_RESUME_MAX_AGE_MS: positiveInteger(),
    WS_RESUME_MAX_BYTES: positiveInteger(),
    RUN_MAX_EVENTS: positiveInteger(),
    RUN_MAX_BYTES: positiveInteger(),
    WS_TICKETS_PER_MINUTE: positiveInteger(),
    THREADS_PER_MINUTE: positiveInteger(),
    RUN_STALL_TIMEOUT_MS: positiveInteger(),
    SHUTDOWN_GRACE_MS: positiveInteger(),
    METRICS_TOKEN: z
      .string()
      .min(16, 'must be at least 16 characters')
      .max(1024, 'must be at most 1024 characters')
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
    METRICS_PORT: port,
    REDIS_URL: url(/^rediss?$/, 'redis:// or rediss://'),
    REDIS_CLUSTER: flag,
    REDIS_KEY_PREFIX: printable(128),
    DATA_DIR: z.string(),
    HISTORY: z
      .string()
      .transform((raw) => raw.trim().toLowerCase())
      .pipe(z.enum(['on', 'off'], { error: 'must be on or off' })),
    DATABASE_URL: url(/^postgres(ql)?$/, 'postgres:// or postgresql://'),
    LLM_BASE_URL: url(/^https?$/, 'http:// or https://'),
    LLM_API_KEY: z.string(),
    LLM_MODEL: printable(256),
  })
  .partial();

/** The variables as parsed by {@link envSchema}. */
export type ParsedEnv = z.output<typeof envSchema>;

/** The names of every variable the server reads, in the order they are validated. */
export const ENV_VARIABLES = Object.keys(envSchema.shape) as (keyof ParsedEnv)[];

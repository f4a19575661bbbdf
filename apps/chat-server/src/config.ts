import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { ConfigError } from './config-error.js';
import { ENV_VARIABLES, SECRET_VARIABLES, envSchema, type ParsedEnv } from './env-schema.js';

/** How long a secret must be, in bytes, for production. */
const MIN_PRODUCTION_SECRET_BYTES = 32;

/** The deployment mode (`NODE_ENV`). */
type NodeEnv = 'development' | 'test' | 'production';

/** How incoming JWTs are verified; dev-login tokens are signed with `secret`. */
type JwtKeyConfig =
  | {
      kind: 'secret';
      secret: string;
      /** made at start: no JWT variable was set */ generated: boolean;
    }
  | { kind: 'publicKey'; publicKey: string }
  | { kind: 'jwks'; jwksUrl: string };

/** The validated configuration of one chat server. */
export interface ChatServerConfig {
  port: number;
  host: string;
  nodeEnv: NodeEnv;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  logFormat: 'pretty' | 'json';
  /** Names this node in `welcome` and logs; by default random per process (no host name, no pid). */
  serverId: string;
  jwt: JwtKeyConfig & { issuer?: string; audience?: string };
  /** `POST /api/v1/dev/login` is served. */
  devLogin: boolean;
  /** Unset: same-origin requests and requests without `Origin` only. */
  allowedOrigins?: string[];
  /** Trusted proxy hops in front of the server (`TRUST_PROXY`); 0: none. */
  trustProxy: number;
  ws: {
    heartbeatMs: number;
    maxConnectionsPerUser: number;
    connectAttemptsPerMinute: number;
    ratePerSecond: number;
    rateBurst: number;
    maxRunsPerUser: number;
    outboundLimitBytes: number;
    resumeMaxEvents: number;
    resumeMaxAgeMs: number;
    /** Retention's byte bound (`WS_RESUME_MAX_BYTES`), sent as `welcome.resumeWindow.maxBytes`. */
    resumeMaxBytes: number;
    /** `POST /api/v1/ws-ticket` per user per minute. */
    ticketsPerMinute: number;
  };
  /** New threads per user per minute. */
  threadsPerMinute: number;
  /** Metrics: when `token` is set `/metrics` needs it as a bearer token; `port`: served there only. */
  metrics: { token?: string; port?: number };
  /** Bounds of one run (`RUN_MAX_EVENTS`, `RUN_MAX_BYTES`; docs/protocol.md#8-joining-mid-run). */
  runMaxEvents: number;
  runMaxBytes: number;
  runStallTimeoutMs: number;
  shutdownGraceMs: number;
  redisUrl?: string;
  /** `REDIS_CLUSTER=1`: `redisUrl` is the seed node of a Redis Cluster (docs/scaling.md#rule-8-redis-cluster). */
  redisCluster: boolean;
  /** Prefix of every Redis key and channel (`REDIS_KEY_PREFIX`); the same on every node. */
  redisKeyPrefix: string;
  dataDir: string;
  databaseUrl?: string;
  /**
   * `HISTORY=off`: runs are not recorded (no history hooks, no new-thread limit); the threads
   * API still reads the database. For benchmarks' reference runs (docs/configuration.md).
   */
  historyWrites: boolean;
  /** Set: the `llm` agent is registered. */
  llm?: { baseUrl: string; apiKey: string; model: string };
  /** Things worth a warning at start (the configuration is still valid). */
  warnings: string[];
}

/** Environment variables, as in `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates the configuration from environment variables (see
 * docs/configuration.md). Unset or empty variables take their defaults.
 *
 * @param env the variables; `process.env` in `main.ts`
 * @returns the typed configuration, with `warnings` to log at start
 * @throws {ConfigError} `CONFIG_INVALID` naming the first invalid variable in its one-line message
 */
export function loadConfig(env: Env): ChatServerConfig {
  const parsed = parseEnv(env);
  const nodeEnv = parsed.NODE_ENV ?? 'development';
  const host = parsed.HOST ?? '127.0.0.1';
  const warnings: string[] = [];
  const jwtKey = resolveJwtKey(parsed, nodeEnv, warnings);
  return {
    port: parsed.PORT ?? 8080,
    host,
    nodeEnv,
    logLevel: parsed.LOG_LEVEL ?? 'info',
    logFormat: parsed.LOG_FORMAT ?? (nodeEnv === 'production' ? 'json' : 'pretty'),
    serverId: parsed.SERVER_ID ?? randomServerId(),
    jwt: { ...jwtKey, issuer: parsed.JWT_ISSUER, audience: parsed.JWT_AUDIENCE },
    devLogin: resolveDevLogin(parsed, nodeEnv, host, jwtKey, warnings),
    allowedOrigins: parsed.ALLOWED_ORIGINS,
    trustProxy: parsed.TRUST_PROXY ?? 0,
    ws: {
      heartbeatMs: parsed.WS_HEARTBEAT_MS ?? 25_000,
      maxConnectionsPerUser: parsed.WS_MAX_CONNECTIONS_PER_USER ?? 10,
      connectAttemptsPerMinute: parsed.WS_CONNECT_ATTEMPTS_PER_MINUTE ?? 600,
      ratePerSecond: parsed.WS_RATE_PER_SECOND ?? 20,
      rateBurst: parsed.WS_RATE_BURST ?? 40,
      maxRunsPerUser: parsed.WS_MAX_RUNS_PER_USER ?? 3,
      outboundLimitBytes: parsed.WS_OUTBOUND_LIMIT_BYTES ?? 1_048_576,
      resumeMaxEvents: parsed.WS_RESUME_MAX_EVENTS ?? 1000,
      resumeMaxAgeMs: parsed.WS_RESUME_MAX_AGE_MS ?? 300_000,
      resumeMaxBytes: parsed.WS_RESUME_MAX_BYTES ?? 1_048_576,
      ticketsPerMinute: parsed.WS_TICKETS_PER_MINUTE ?? 60,
    },
    threadsPerMinute: parsed.THREADS_PER_MINUTE ?? 30,
    metrics: resolveMetrics(parsed, parsed.PORT ?? 8080),
    runMaxEvents: parsed.RUN_MAX_EVENTS ?? 20_000,
    runMaxBytes: parsed.RUN_MAX_BYTES ?? 8_388_608,
    runStallTimeoutMs: parsed.RUN_STALL_TIMEOUT_MS ?? 30_000,
    shutdownGraceMs: parsed.SHUTDOWN_GRACE_MS ?? 10_000,
    ...resolveStorage(parsed),
    historyWrites: resolveHistory(parsed, warnings),
    llm: resolveLlm(parsed),
    warnings,
  };
}

/**
 * A node name that tells an outsider nothing about the machine (no host name, no pid): `node-`
 * and 48 random bits, new in every process (docs/security.md#what-the-server-reveals).
 */
function randomServerId(): string {
  return `node-${randomBytes(6).toString('hex')}`;
}

function resolveMetrics(parsed: ParsedEnv, port: number): ChatServerConfig['metrics'] {
  if (parsed.METRICS_PORT !== undefined && parsed.METRICS_PORT === port && port !== 0) {
    throw new ConfigError('METRICS_PORT', `must differ from PORT (${port})`);
  }
  return {
    ...(parsed.METRICS_TOKEN === undefined ? {} : { token: parsed.METRICS_TOKEN }),
    ...(parsed.METRICS_PORT === undefined ? {} : { port: parsed.METRICS_PORT }),
  };
}

function parseEnv(env: Env): ParsedEnv {
  const present: Record<string, string> = {};
  for (const name of ENV_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') present[name] = value;
  }
  const result = envSchema.safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = String(issue?.path[0] ?? 'environment');
  const raw = present[variable];
  const got = raw === undefined || SECRET_VARIABLES.has(variable) ? '' : ` (got ${quote(raw)})`;
  throw new ConfigError(variable, `${issue?.message ?? 'is invalid'}${got}`);
}

function quote(raw: string): string {
  const shown = raw.length > 80 ? `${raw.slice(0, 77)}...` : raw;
  return JSON.stringify(shown);
}

function resolveJwtKey(parsed: ParsedEnv, nodeEnv: NodeEnv, warnings: string[]): JwtKeyConfig {
  const set = (['JWT_SECRET', 'JWT_PUBLIC_KEY', 'JWT_JWKS_URL'] as const).filter(
    (name) => parsed[name] !== undefined,
  );
  if (set.length > 1) {
    throw new ConfigError(
      set[1] ?? 'JWT_SECRET',
      `cannot be combined with ${set[0]}; set only one way to verify tokens`,
    );
  }
  if (parsed.JWT_PUBLIC_KEY !== undefined)
    return { kind: 'publicKey', publicKey: parsed.JWT_PUBLIC_KEY };
  if (parsed.JWT_JWKS_URL !== undefined) return { kind: 'jwks', jwksUrl: parsed.JWT_JWKS_URL };
  const secret = parsed.JWT_SECRET;
  if (secret !== undefined) {
    const bytes = Buffer.byteLength(secret, 'utf8');
    if (bytes < MIN_PRODUCTION_SECRET_BYTES) {
      if (nodeEnv === 'production') {
        throw new ConfigError(
          'JWT_SECRET',
          `must be at least ${MIN_PRODUCTION_SECRET_BYTES} bytes in production (got ${bytes} bytes)`,
        );
      }
      warnings.push(
        `JWT_SECRET is only ${bytes} bytes; production requires at least ${MIN_PRODUCTION_SECRET_BYTES}`,
      );
    }
    return { kind: 'secret', secret, generated: false };
  }
  if (nodeEnv === 'production') {
    throw new ConfigError(
      'JWT_SECRET',
      `is required in production (at least ${MIN_PRODUCTION_SECRET_BYTES} bytes), unless JWT_PUBLIC_KEY or JWT_JWKS_URL is set`,
    );
  }
  warnings.push(
    'No JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL is set: using a random secret made at start; ' +
      'tokens will not survive a restart or work across nodes',
  );
  return { kind: 'secret', secret: randomBytes(32).toString('base64url'), generated: true };
}

/** Loopback host names and addresses: the development login is on by default only there. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || bare.startsWith('::ffff:127.');
}

function resolveDevLogin(
  parsed: ParsedEnv,
  nodeEnv: NodeEnv,
  host: string,
  jwtKey: JwtKeyConfig,
  warnings: string[],
): boolean {
  const requested = parsed.DEV_LOGIN;
  if (nodeEnv === 'production') {
    if (requested === true)
      warnings.push('DEV_LOGIN is ignored in production: the development login is never enabled');
    return false;
  }
  if (jwtKey.kind !== 'secret') {
    if (requested === true) {
      throw new ConfigError(
        'DEV_LOGIN',
        `needs JWT_SECRET to sign tokens (tokens are verified with ${jwtKeyVariable(jwtKey)})`,
      );
    }
    return false;
  }
  return requested ?? isLoopbackHost(host);
}

function jwtKeyVariable(jwtKey: JwtKeyConfig): string {
  return jwtKey.kind === 'publicKey'
    ? 'JWT_PUBLIC_KEY'
    : jwtKey.kind === 'jwks'
      ? 'JWT_JWKS_URL'
      : 'JWT_SECRET';
}

function resolveStorage(
  parsed: ParsedEnv,
): Pick<
  ChatServerConfig,
  'redisUrl' | 'redisCluster' | 'redisKeyPrefix' | 'dataDir' | 'databaseUrl'
> {
  if (parsed.REDIS_CLUSTER === true && parsed.REDIS_URL === undefined) {
    throw new ConfigError('REDIS_CLUSTER', 'needs REDIS_URL: the seed node of the cluster');
  }
  if (parsed.REDIS_URL !== undefined && parsed.DATABASE_URL === undefined) {
    throw new ConfigError(
      'DATABASE_URL',
      'is required when REDIS_URL is set: an embedded database cannot be shared between nodes',
    );
  }
  return {
    redisUrl: parsed.REDIS_URL,
    redisCluster: parsed.REDIS_CLUSTER ?? false,
    redisKeyPrefix: parsed.REDIS_KEY_PREFIX ?? 'chat:',
    dataDir: parsed.DATA_DIR ?? './.data',
    databaseUrl: parsed.DATABASE_URL,
  };
}

function resolveHistory(parsed: ParsedEnv, warnings: string[]): boolean {
  if (parsed.HISTORY !== 'off') return true;
  warnings.push('HISTORY=off: conversations are not recorded (runs leave no history)');
  return false;
}

function resolveLlm(parsed: ParsedEnv): ChatServerConfig['llm'] {
  const { LLM_BASE_URL: baseUrl, LLM_API_KEY: apiKey, LLM_MODEL: model } = parsed;
  if (baseUrl === undefined && apiKey === undefined && model === undefined) return undefined;
  if (baseUrl !== undefined && apiKey !== undefined && model !== undefined)
    return { baseUrl, apiKey, model };
  const given =
    baseUrl !== undefined ? 'LLM_BASE_URL' : apiKey !== undefined ? 'LLM_API_KEY' : 'LLM_MODEL';
  const missing =
    baseUrl === undefined ? 'LLM_BASE_URL' : apiKey === undefined ? 'LLM_API_KEY' : 'LLM_MODEL';
  return missingLlm(missing, given);
}

function missingLlm(missing: string, given: string): never {
  throw new ConfigError(
    missing,
    `is required when ${given} is set: LLM_BASE_URL, LLM_API_KEY and LLM_MODEL go together`,
  );
}

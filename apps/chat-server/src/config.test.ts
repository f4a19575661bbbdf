import { generateKeyPairSync } from 'node:crypto';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isAppError } from '@app/ws-protocol';
import type { ConfigError } from './config-error.js';
import { codes } from './error-codes.js';
import { isLoopbackHost, loadConfig, type Env } from './config.js';

const SECRET_32 = 'x'.repeat(32);

function configError(env: Env): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (isAppError(error, codes.CONFIG_INVALID)) return error as ConfigError;
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig defaults', () => {
  it('fills every default from an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      nodeEnv: 'development',
      logLevel: 'info',
      logFormat: 'pretty',
      serverId: expect.stringMatching(/^node-[0-9a-f]{12}$/),
      devLogin: true,
      trustProxy: 0,
      ws: {
        heartbeatMs: 25000,
        maxConnectionsPerUser: 10,
        connectAttemptsPerMinute: 600,
        ratePerSecond: 20,
        rateBurst: 40,
        maxRunsPerUser: 3,
        outboundLimitBytes: 1048576,
        resumeMaxEvents: 1000,
        resumeMaxAgeMs: 300000,
        resumeMaxBytes: 1048576,
        ticketsPerMinute: 60,
      },
      threadsPerMinute: 30,
      metrics: {},
      runMaxEvents: 20000,
      runMaxBytes: 8388608,
      runStallTimeoutMs: 30000,
      shutdownGraceMs: 10000,
      dataDir: './.data',
      historyWrites: true,
    });
    expect(config.allowedOrigins).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.databaseUrl).toBeUndefined();
    expect(config.llm).toBeUndefined();
  });

  it('makes a random secret in development and warns that tokens will not survive a restart', () => {
    const first = loadConfig({});
    const second = loadConfig({});
    expect(first.jwt.kind).toBe('secret');
    expect(first.jwt.kind === 'secret' && first.jwt.generated).toBe(true);
    expect(
      first.jwt.kind === 'secret' &&
        second.jwt.kind === 'secret' &&
        first.jwt.secret !== second.jwt.secret,
    ).toBe(true);
    expect(first.warnings.join('\n')).toMatch(/random secret.*restart.*across nodes/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', WS_HEARTBEAT_MS: '  ' }).port).toBe(8080);
  });

  it('uses json logs by default in production', () => {
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET_32 }).logFormat).toBe('json');
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET_32, LOG_FORMAT: 'pretty' }).logFormat,
    ).toBe('pretty');
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      NODE_ENV: 'test',
      LOG_LEVEL: 'WARNING',
      SERVER_ID: 'node-1',
      JWT_SECRET: SECRET_32,
      JWT_ISSUER: 'issuer',
      JWT_AUDIENCE: 'aud',
      ALLOWED_ORIGINS: 'https://a.example.com, http://localhost:3000/',
      TRUST_PROXY: '2',
      WS_TICKETS_PER_MINUTE: '5',
      THREADS_PER_MINUTE: '6',
      METRICS_TOKEN: 'metrics-token-of-16+',
      METRICS_PORT: '9464',
      WS_HEARTBEAT_MS: '1000',
      WS_RATE_BURST: '7',
      WS_RESUME_MAX_BYTES: '65536',
      RUN_MAX_EVENTS: '3000',
      RUN_MAX_BYTES: '1000000',
      REDIS_URL: 'redis://localhost:6379',
      DATABASE_URL: 'postgres://u:p@localhost/db',
      DATA_DIR: '/tmp/data',
      LLM_BASE_URL: 'http://127.0.0.1:1/v1',
      LLM_API_KEY: 'k',
      LLM_MODEL: 'm',
    });
    expect(config).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      nodeEnv: 'test',
      logLevel: 'warn',
      serverId: 'node-1',
      jwt: {
        kind: 'secret',
        secret: SECRET_32,
        generated: false,
        issuer: 'issuer',
        audience: 'aud',
      },
      devLogin: false,
      allowedOrigins: ['https://a.example.com', 'http://localhost:3000'],
      trustProxy: 2,
      threadsPerMinute: 6,
      metrics: { token: 'metrics-token-of-16+', port: 9464 },
      redisUrl: 'redis://localhost:6379',
      databaseUrl: 'postgres://u:p@localhost/db',
      dataDir: '/tmp/data',
      llm: { baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'k', model: 'm' },
    });
    expect(config.ws.heartbeatMs).toBe(1000);
    expect(config.ws.rateBurst).toBe(7);
    expect(config.ws.ticketsPerMinute).toBe(5);
    expect(config.ws.resumeMaxBytes).toBe(65536);
    expect(config.runMaxEvents).toBe(3000);
    expect(config.runMaxBytes).toBe(1000000);
  });

  it('records history unless HISTORY=off, which warns that nothing is recorded', () => {
    expect(loadConfig({ HISTORY: 'on' }).historyWrites).toBe(true);
    const off = loadConfig({ HISTORY: ' OFF ' });
    expect(off.historyWrites).toBe(false);
    expect(off.warnings).toContain(
      'HISTORY=off: conversations are not recorded (runs leave no history)',
    );
    expect(loadConfig({}).warnings.join('\n')).not.toContain('HISTORY');
  });

  it('names this node with a random id per process, revealing no host name or pid', () => {
    const first = loadConfig({}).serverId;
    expect(first).toMatch(/^node-[0-9a-f]{12}$/);
    expect(first).not.toContain(hostname());
    expect(loadConfig({}).serverId).not.toBe(first);
  });
});

describe('loadConfig refusals', () => {
  it.each([
    [
      { WS_HEARTBEAT_MS: 'abc' },
      'Invalid configuration: WS_HEARTBEAT_MS must be a positive integer (got "abc")',
    ],
    [
      { WS_HEARTBEAT_MS: '0' },
      'Invalid configuration: WS_HEARTBEAT_MS must be a positive integer (got "0")',
    ],
    [
      { WS_RATE_BURST: '-3' },
      'Invalid configuration: WS_RATE_BURST must be a positive integer (got "-3")',
    ],
    [
      { SHUTDOWN_GRACE_MS: '1.5' },
      'Invalid configuration: SHUTDOWN_GRACE_MS must be a positive integer (got "1.5")',
    ],
    [
      { PORT: '70000' },
      'Invalid configuration: PORT must be a port number from 0 to 65535 (got "70000")',
    ],
    [
      { PORT: 'http' },
      'Invalid configuration: PORT must be a port number from 0 to 65535 (got "http")',
    ],
    [
      { NODE_ENV: 'staging' },
      'Invalid configuration: NODE_ENV must be one of development, test, production (got "staging")',
    ],
    [
      { LOG_LEVEL: 'loud' },
      'Invalid configuration: LOG_LEVEL must be one of debug, info, warn, error (got "loud")',
    ],
    [{ DEV_LOGIN: 'maybe' }, 'Invalid configuration: DEV_LOGIN must be 1 or 0 (got "maybe")'],
    [{ HISTORY: 'none' }, 'Invalid configuration: HISTORY must be on or off (got "none")'],
    [
      { REDIS_CLUSTER: 'yes please' },
      'Invalid configuration: REDIS_CLUSTER must be 1 or 0 (got "yes please")',
    ],
    [
      { JWT_JWKS_URL: 'not a url' },
      'Invalid configuration: JWT_JWKS_URL must be a valid http:// or https:// URL (got "not a url")',
    ],
    [
      { LLM_BASE_URL: 'ftp://x', LLM_API_KEY: 'k', LLM_MODEL: 'm' },
      'Invalid configuration: LLM_BASE_URL must be a valid http:// or https:// URL (got "ftp://x")',
    ],
    [
      { ALLOWED_ORIGINS: 'https://ok.example.com,https://bad.example.com/path' },
      'Invalid configuration: ALLOWED_ORIGINS must be a comma-separated list of origins such as https://chat.example.com (got "https://ok.example.com,https://bad.example.com/path")',
    ],
    [
      { TRUST_PROXY: 'true' },
      'Invalid configuration: TRUST_PROXY must be a number of trusted proxy hops from 0 (off) to 32 (got "true")',
    ],
    [
      { TRUST_PROXY: '33' },
      'Invalid configuration: TRUST_PROXY must be a number of trusted proxy hops from 0 (off) to 32 (got "33")',
    ],
    [
      { WS_TICKETS_PER_MINUTE: '0' },
      'Invalid configuration: WS_TICKETS_PER_MINUTE must be a positive integer (got "0")',
    ],
    [
      { WS_RESUME_MAX_BYTES: '1MiB' },
      'Invalid configuration: WS_RESUME_MAX_BYTES must be a positive integer (got "1MiB")',
    ],
    [
      { RUN_MAX_EVENTS: '0' },
      'Invalid configuration: RUN_MAX_EVENTS must be a positive integer (got "0")',
    ],
    [
      { RUN_MAX_BYTES: '-1' },
      'Invalid configuration: RUN_MAX_BYTES must be a positive integer (got "-1")',
    ],
    [
      { THREADS_PER_MINUTE: 'many' },
      'Invalid configuration: THREADS_PER_MINUTE must be a positive integer (got "many")',
    ],
    [
      { METRICS_PORT: '65536' },
      'Invalid configuration: METRICS_PORT must be a port number from 0 to 65535 (got "65536")',
    ],
    [{ METRICS_PORT: '8080' }, 'Invalid configuration: METRICS_PORT must differ from PORT (8080)'],
    [
      { METRICS_TOKEN: 'short' },
      'Invalid configuration: METRICS_TOKEN must be at least 16 characters',
    ],
    [
      { METRICS_TOKEN: 'has a space in it, sixteen+' },
      'Invalid configuration: METRICS_TOKEN must be printable ASCII without spaces',
    ],
    [
      { ALLOWED_ORIGINS: '*' },
      'Invalid configuration: ALLOWED_ORIGINS must be a comma-separated list of origins such as https://chat.example.com (got "*")',
    ],
  ])('%j → %s', (env, message) => {
    const error = configError(env);
    expect(error.message).toBe(message);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).not.toContain('\n');
  });

  it('never echoes a secret value', () => {
    const error = configError({ REDIS_URL: 'http://user:hunter2@host' });
    expect(error.variable).toBe('REDIS_URL');
    expect(error.message).toBe(
      'Invalid configuration: REDIS_URL must be a valid redis:// or rediss:// URL',
    );
    expect(configError({ DATABASE_URL: 'mysql://u:hunter2@h/db' }).message).not.toContain(
      'hunter2',
    );
  });

  it('requires real JWT configuration in production', () => {
    expect(configError({ NODE_ENV: 'production' }).message).toBe(
      'Invalid configuration: JWT_SECRET is required in production (at least 32 bytes), unless JWT_PUBLIC_KEY or JWT_JWKS_URL is set',
    );
    expect(configError({ NODE_ENV: 'production', JWT_SECRET: 'short' }).message).toBe(
      'Invalid configuration: JWT_SECRET must be at least 32 bytes in production (got 5 bytes)',
    );
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_JWKS_URL: 'https://id.example.com/jwks.json' }).jwt,
    ).toEqual({
      kind: 'jwks',
      jwksUrl: 'https://id.example.com/jwks.json',
      issuer: undefined,
      audience: undefined,
    });
  });

  it('accepts a PEM public key, with literal \\n too, and refuses a private key', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_PUBLIC_KEY: pem.replace(/\n/g, '\\n'),
    });
    expect(config.jwt).toMatchObject({ kind: 'publicKey', publicKey: pem.trim() });
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(configError({ JWT_PUBLIC_KEY: privatePem }).message).toBe(
      'Invalid configuration: JWT_PUBLIC_KEY must be a public key, never a private key',
    );
    expect(configError({ JWT_PUBLIC_KEY: 'nope' }).message).toBe(
      'Invalid configuration: JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)',
    );
  });

  it('refuses two ways of verifying tokens at once', () => {
    expect(
      configError({ JWT_SECRET: SECRET_32, JWT_JWKS_URL: 'https://id.example.com/jwks' }).message,
    ).toBe(
      'Invalid configuration: JWT_JWKS_URL cannot be combined with JWT_SECRET; set only one way to verify tokens',
    );
  });

  it('requires DATABASE_URL with REDIS_URL', () => {
    expect(configError({ REDIS_URL: 'redis://localhost:6379' }).message).toBe(
      'Invalid configuration: DATABASE_URL is required when REDIS_URL is set: an embedded database cannot be shared between nodes',
    );
  });

  it('requires REDIS_URL, the seed node, with REDIS_CLUSTER', () => {
    expect(configError({ REDIS_CLUSTER: '1' }).message).toBe(
      'Invalid configuration: REDIS_CLUSTER needs REDIS_URL: the seed node of the cluster',
    );
    const env = { REDIS_URL: 'redis://127.0.0.1:7000', DATABASE_URL: 'postgres://u@h/db' };
    expect(loadConfig({ ...env, REDIS_CLUSTER: '1' }).redisCluster).toBe(true);
    expect(loadConfig(env).redisCluster).toBe(false);
  });

  it('requires the three LLM variables together', () => {
    expect(configError({ LLM_BASE_URL: 'http://localhost:1/v1', LLM_MODEL: 'm' }).message).toBe(
      'Invalid configuration: LLM_API_KEY is required when LLM_BASE_URL is set: LLM_BASE_URL, LLM_API_KEY and LLM_MODEL go together',
    );
  });
});

describe('development login', () => {
  it('is on in development and test on a loopback host', () => {
    expect(loadConfig({ HOST: 'localhost' }).devLogin).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', HOST: '::1' }).devLogin).toBe(true);
  });

  it('is off on a non-loopback host unless DEV_LOGIN=1', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }).devLogin).toBe(false);
    expect(loadConfig({ HOST: '0.0.0.0', DEV_LOGIN: '1' }).devLogin).toBe(true);
    expect(loadConfig({ DEV_LOGIN: '0' }).devLogin).toBe(false);
  });

  it('is never on in production, even when asked, with a warning', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET_32, DEV_LOGIN: '1' });
    expect(config.devLogin).toBe(false);
    expect(config.warnings.join('\n')).toMatch(/DEV_LOGIN is ignored in production/);
  });

  it('needs a secret to sign with', () => {
    expect(loadConfig({ JWT_JWKS_URL: 'https://id.example.com/jwks' }).devLogin).toBe(false);
    expect(
      configError({ JWT_JWKS_URL: 'https://id.example.com/jwks', DEV_LOGIN: '1' }).message,
    ).toBe(
      'Invalid configuration: DEV_LOGIN needs JWT_SECRET to sign tokens (tokens are verified with JWT_JWKS_URL)',
    );
  });

  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', 'app.localhost']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '128.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectLines, type CollectedLines } from '../test/collect-lines';
import { configureLogging, createLogger, type LogFields } from './index';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJlLXZhbHVl';
let output: CollectedLines;

beforeEach(() => {
  output = collectLines();
});
afterEach(() => {
  output.restore();
});

describe('json lines', () => {
  it('writes one parseable line per call with the documented fields', () => {
    const log = createLogger('ws-core:hub');
    log.debug('d', { n: 1 });
    log.info('i', { userId: 'u1', connectionId: 'c1', ok: true });
    log.warn('w');
    log.error('e', { error: new Error('boom') });

    expect(output.lines).toHaveLength(4);
    for (const line of output.lines) {
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
    }
    const [debug, info, warn, error] = output.parsed();
    expect(debug).toMatchObject({ severity: 'DEBUG', message: 'd', n: 1 });
    expect(info).toEqual({
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      severity: 'INFO',
      message: 'i',
      service: 'test-service',
      component: 'ws-core:hub',
      userId: 'u1',
      connectionId: 'c1',
      ok: true,
    });
    expect(warn).toMatchObject({ severity: 'WARNING', message: 'w', component: 'ws-core:hub' });
    expect(error).toMatchObject({
      severity: 'ERROR',
      error: { name: 'Error', message: 'boom', stack: expect.stringContaining('boom') },
    });
  });

  it('serializes an Error under err as error, with code and cause', () => {
    const cause = new Error('socket closed');
    const err = Object.assign(new Error('send failed', { cause }), { code: 'ECONNRESET' });
    createLogger('c').error('send', { err, attempt: 2 });
    const [entry] = output.parsed();
    expect(entry).toMatchObject({
      attempt: 2,
      error: {
        name: 'Error',
        message: 'send failed',
        code: 'ECONNRESET',
        cause: { name: 'Error', message: 'socket closed' },
      },
    });
    expect(entry).not.toHaveProperty('err');
  });

  it('accepts an Error as the message or as the fields', () => {
    const log = createLogger('c');
    log.error(new Error('as message') as never);
    log.error('as fields', new TypeError('typed') as never);
    const [first, second] = output.parsed();
    expect(first).toMatchObject({ message: 'as message', error: { message: 'as message' } });
    expect(second).toMatchObject({ message: 'as fields', error: { name: 'TypeError' } });
  });

  it('renames fields that collide with the fixed keys', () => {
    createLogger('real').info('real message', {
      message: 'forged',
      severity: 'DEBUG',
      component: 'other',
    });
    expect(output.parsed()[0]).toMatchObject({
      message: 'real message',
      severity: 'INFO',
      component: 'real',
      'field.message': 'forged',
      'field.severity': 'DEBUG',
      'field.component': 'other',
    });
  });
});

describe('redaction on every path', () => {
  it('redacts credential keys at depth, in arrays, in the message and in error messages', () => {
    const log = createLogger('auth').child({ apiKey: 'child-key-1' });
    log.warn(`rejected Authorization: Bearer ${JWT} from wss://h/ws?token=${JWT}`, {
      headers: { authorization: 'Bearer opaque-1', cookie: 'sid=abc', 'x-api-key': 'k-2' },
      attempts: [{ password: 'hunter2' }, { meta: { refresh_token: 'rt-3' } }],
      subprotocols: ['chat.v1', `bearer.${JWT}`],
      error: new Error(`verify failed for ${JWT} (password=hunter2)`),
    });
    const text = output.lines.join('');
    for (const secret of ['eyJ', 'opaque-1', 'sid=abc', 'k-2', 'hunter2', 'rt-3', 'child-key-1']) {
      expect(text).not.toContain(secret);
    }
    const [entry] = output.parsed();
    expect(entry).toMatchObject({
      message: 'rejected Authorization: Bearer [REDACTED] from wss://h/ws?token=[REDACTED]',
      apiKey: '[REDACTED]',
      headers: { authorization: '[REDACTED]', cookie: '[REDACTED]', 'x-api-key': '[REDACTED]' },
      attempts: [{ password: '[REDACTED]' }, { meta: { refresh_token: '[REDACTED]' } }],
      subprotocols: ['chat.v1', 'bearer.[REDACTED]'],
      error: { message: 'verify failed for [REDACTED] (password=[REDACTED])' },
    });
  });

  it('truncates very long strings with their length', () => {
    createLogger('c').info('x'.repeat(20_000), { body: 'y'.repeat(9000) });
    const [entry] = output.parsed();
    expect(entry?.message).toMatch(/^x{8192}…\[truncated, 20000 chars]$/);
    expect(entry?.body).toMatch(/^y{8192}…\[truncated, 9000 chars]$/);
  });
});

describe('levels', () => {
  it('applies configureLogging to loggers created before the call', () => {
    const early = createLogger('early');
    configureLogging({ level: 'warn' });
    early.info('hidden');
    early.warn('shown');
    expect(early.isLevelEnabled('info')).toBe(false);
    expect(early.isLevelEnabled('warn')).toBe(true);
    configureLogging({ level: 'debug' });
    early.debug('now shown');
    expect(early.isLevelEnabled('debug')).toBe(true);
    expect(output.parsed().map((entry) => entry.message)).toEqual(['shown', 'now shown']);
  });

  it('answers false for unknown levels', () => {
    expect(createLogger('c').isLevelEnabled('verbose' as never)).toBe(false);
    expect(createLogger('c').isLevelEnabled('toString' as never)).toBe(false);
  });

  it('does no work for a call below the level: getters and toJSON are never touched', () => {
    configureLogging({ level: 'info' });
    let reads = 0;
    const fields = {
      get expensive() {
        reads += 1;
        return 'value';
      },
      toJSON() {
        reads += 1;
        return {};
      },
    };
    const message = {
      toString() {
        reads += 1;
        return 'message';
      },
    };
    const log = createLogger('c');
    log.debug(message as never, fields);
    log.child({ runId: 'r' }).debug('child', fields);
    expect(reads).toBe(0);
    expect(output.lines).toHaveLength(0);
    log.info('enabled', fields);
    expect(reads).toBeGreaterThan(0);
  });
});

describe('a log call never throws', () => {
  const circular: Record<string, unknown> = { name: 'loop' };
  circular.self = circular;
  const throwingGetter = Object.defineProperty({}, 'bad', {
    enumerable: true,
    get() {
      throw new Error('getter');
    },
  });
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const cases: [string, unknown, unknown][] = [
    ['circular fields', 'm', { circular }],
    ['circular fields object itself', 'm', circular],
    ['BigInt', 'm', { big: 10n }],
    ['symbol value', 'm', { sym: Symbol('s') }],
    ['symbol message', Symbol('msg'), undefined],
    ['throwing getter', 'm', throwingGetter],
    ['undefined fields', 'm', undefined],
    ['null fields', 'm', null],
    ['string fields', 'm', 'just a string'],
    ['number fields', 'm', 42],
    ['array fields', 'm', [1, { token: 't' }]],
    ['function fields', 'm', () => 1],
    ['undefined message', undefined, { a: 1 }],
    ['null message', null, { a: 1 }],
    ['object message', { token: 't', text: 'x' }, undefined],
    ['revoked proxy fields', 'm', revoked.proxy],
    ['revoked proxy message', revoked.proxy, undefined],
    [
      'object with throwing toJSON',
      'm',
      {
        v: {
          toJSON: () => {
            throw new Error('x');
          },
        },
      },
    ],
    ['object with null prototype', 'm', Object.create(null) as object],
  ];

  it.each(cases)('%s', (_name, message, fields) => {
    const log = createLogger('c');
    expect(() => {
      log.info(message as string, fields as LogFields);
      log.error(message as string, fields as LogFields);
      log.child(fields as LogFields).warn(message as string, fields as LogFields);
    }).not.toThrow();
    expect(output.lines).toHaveLength(3);
    for (const entry of output.parsed()) expect(entry.component).toBe('c');
    expect(output.lines.join('')).not.toContain('"token":"t"');
  });

  it('swallows a destination that throws', () => {
    configureLogging({
      destination: {
        write() {
          throw new Error('disk full');
        },
      },
    });
    const log = createLogger('c');
    expect(() => log.error('lost', { a: 1 })).not.toThrow();
    expect(() => log.info('lost again')).not.toThrow();
  });

  it('keeps writing after a destination failure', () => {
    let fail = true;
    const lines: string[] = [];
    configureLogging({
      destination: {
        write(line: string) {
          if (fail) throw new Error('transient');
          lines.push(line);
        },
      },
    });
    const log = createLogger('c');
    log.info('first');
    fail = false;
    log.info('second');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('second');
  });
});

describe('child', () => {
  it('binds fields, merges grandchildren and sanitizes once', () => {
    const parent = createLogger('c').child({ connectionId: 'c1', runId: 'r0' });
    const grandchild = parent.child({ runId: 'r1', secret: 's' });
    grandchild.info('hello', { step: 1 });
    parent.info('parent');
    expect(output.parsed()).toMatchObject([
      { connectionId: 'c1', runId: 'r1', secret: '[REDACTED]', step: 1 },
      { connectionId: 'c1', runId: 'r0' },
    ]);
  });
});

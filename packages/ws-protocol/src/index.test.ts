import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as protocol from './index.js';

describe('package entry', () => {
  it('offers every runtime name of the contract, the constants with their protocol values', () => {
    for (const name of [
      'PROTOCOL_VERSION',
      'SUBPROTOCOL',
      'BEARER_PROTOCOL_PREFIX',
      'CRITICAL_EVENTS',
      'EVENT_TYPES',
      'TERMINAL_EVENT',
      'CLIENT_MESSAGE_TYPES',
      'ERROR_CODES',
      'CLOSE_CODES',
      'RUN_STATUSES',
      'RUN_ERROR_CODES',
      'isActiveRun',
      'LIMITS',
      'parseClientMessage',
      'clientMessageSchema',
      'pingMessageSchema',
      'chatMessageSchema',
      'cancelMessageSchema',
      'resumeMessageSchema',
      'authMessageSchema',
      'isChatEvent',
      'isCriticalEvent',
      'toLegacyEvent',
      'createDeprecationNotice',
      'parseLegacyClientMessage',
    ]) {
      expect(protocol, name).toHaveProperty(name);
    }
    // Values no behaviour in this package reads; the packages that use them pin them too
    // (ws-routes: the subprotocol and bearer prefix; parse and inbound-limit tests: the sizes).
    expect(protocol).toMatchObject({
      PROTOCOL_VERSION: 1,
      SUBPROTOCOL: 'chat.v1',
      BEARER_PROTOCOL_PREFIX: 'bearer.',
      RUN_STATUSES: ['success', 'error', 'cancelled', 'timeout'],
      RUN_ERROR_CODES: ['agent_error', 'stall_timeout', 'node_lost', 'run_too_large'],
      LIMITS: {
        maxTextLength: 16384,
        maxIdLength: 128,
        maxEventBytes: 64 * 1024,
        maxInboundBytes: 64 * 1024,
        maxRunEvents: 20000,
        maxRunBytes: 8 * 1024 * 1024,
        maxResumeBytes: 1024 * 1024,
      },
    });
  });

  it('stays browser-safe: no Node built-ins, Buffer or process in its sources', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThan(10);
    for (const file of sources) {
      const text = readFileSync(`${dir}/${file}`, 'utf8');
      expect(text, file).not.toMatch(/from ['"]node:|require\(|\bBuffer\b|\bprocess\./);
    }
  });
});

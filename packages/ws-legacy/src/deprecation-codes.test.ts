import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEPRECATION_CODES, REMOVED_IN } from './deprecation-codes.js';

const docsPath = new URL('../../../docs/deprecations.md', import.meta.url);
const codes = Object.keys(DEPRECATION_CODES);

describe('the deprecation code registry', () => {
  it('numbers codes APPWS_DEP001, 002, … without gaps or duplicates', () => {
    expect(codes.length).toBeGreaterThanOrEqual(5);
    codes.forEach((code, index) => {
      expect(code).toBe(`APPWS_DEP${String(index + 1).padStart(3, '0')}`);
    });
  });

  it('words every message as "<what> is deprecated; import { … } from \'…\' instead. Removed in <major>."', () => {
    const format =
      /^.+ is deprecated; import \{ [A-Za-z_]+(, [A-Za-z_]+)* \} from '@app\/[a-z-]+' instead\. Removed in \d+\.\d+\.$/;
    for (const { message } of Object.values(DEPRECATION_CODES)) {
      expect(message).toMatch(format);
      expect(message.endsWith(`Removed in ${REMOVED_IN}.`)).toBe(true);
    }
  });

  it('gives each code its own message', () => {
    const messages = Object.values(DEPRECATION_CODES).map((entry) => entry.message);
    expect(new Set(messages).size).toBe(messages.length);
  });

  it('words the root entry point exactly as docs/migration.md#warnings shows', () => {
    expect(DEPRECATION_CODES.APPWS_DEP001.message).toBe(
      "'@app/ws-legacy' is deprecated; import { WebSocketManager, getWebSocketManager } from '@app/ws-core' instead. Removed in 2.0.",
    );
    expect(DEPRECATION_CODES.APPWS_DEP004.message).toBe(
      "'@app/ws-legacy/logging' is deprecated; import { createLogger } from '@app/logging-ssot' instead. Removed in 2.0.",
    );
  });
});

describe('docs/deprecations.md', () => {
  const rows = fs
    .readFileSync(docsPath, 'utf8')
    .split('\n')
    .filter((line) => /^\| `APPWS_DEP\d{3}` \|/.test(line))
    .map((line) => line.split('|').map((cell) => cell.trim()));

  it('has exactly one table row per registered code, in order', () => {
    expect(rows.map((cells) => cells[1])).toEqual(codes.map((code) => `\`${code}\``));
  });

  it('states the removal version and a migration for every code', () => {
    for (const cells of rows) {
      // cells: ['', code, what, how to migrate, removed in, '']
      expect(cells[3]).toMatch(/@app\/(ws-core|ws-protocol|logging-ssot)/);
      expect(cells[4]).toBe(REMOVED_IN);
    }
  });
});

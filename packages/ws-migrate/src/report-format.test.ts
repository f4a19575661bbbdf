import { describe, expect, it } from 'vitest';
import { ParseError } from './errors.js';
import type { FixResult } from './fix.js';
import {
  formatFixSummary,
  formatParseErrors,
  formatRemaining,
  formatScanJson,
  formatScanReport,
} from './report-format.js';
import type { ScanResult } from './scan.js';

const SCAN: ScanResult = {
  score: 75,
  files: [
    {
      path: 'src/a.ts',
      findings: [
        {
          line: 1,
          kind: 'legacy-import',
          detail: '@app/ws-legacy { WebSocketManager } → @app/ws-core',
        },
        {
          line: 9,
          kind: 'legacy-wire-path',
          detail: '/websocket → /ws (legacy wire mode, docs/protocol.md#7-legacy-wire-mode)',
        },
      ],
    },
  ],
  scannedFiles: 10,
  touchingFiles: 4,
  compliantFiles: 3,
};

describe('scan report', () => {
  it('prints path:line kind detail per finding, then the compliance line', () => {
    expect(formatScanReport(SCAN)).toBe(
      [
        'src/a.ts:1 legacy-import @app/ws-legacy { WebSocketManager } → @app/ws-core',
        'src/a.ts:9 legacy-wire-path /websocket → /ws (legacy wire mode, docs/protocol.md#7-legacy-wire-mode)',
        'Compliance: 75.0% (3 of 4 files)',
        '',
      ].join('\n'),
    );
  });

  it('prints exactly {score, files: [{path, findings: [{line, kind, detail}]}]} as JSON', () => {
    expect(JSON.parse(formatScanJson(SCAN))).toEqual({
      score: 75,
      files: [
        {
          path: 'src/a.ts',
          findings: [
            {
              line: 1,
              kind: 'legacy-import',
              detail: '@app/ws-legacy { WebSocketManager } → @app/ws-core',
            },
            {
              line: 9,
              kind: 'legacy-wire-path',
              detail: '/websocket → /ws (legacy wire mode, docs/protocol.md#7-legacy-wire-mode)',
            },
          ],
        },
      ],
    });
  });
});

describe('fix report', () => {
  const result: FixResult = {
    changes: [{ path: 'src/a.ts', diff: '' }],
    remaining: [
      {
        path: 'src/b.ts',
        findings: [{ line: 2, kind: 'direct-instantiation', detail: 'new X(…)' }],
      },
    ],
    parseErrors: [new ParseError('src/c.ts', 3, "',' expected.")],
    scannedFiles: 7,
  };

  it('names parse errors as path:line: parse error …', () => {
    expect(formatParseErrors(result)).toBe("src/c.ts:3: parse error ',' expected.\n");
  });

  it('lists what is left for a human', () => {
    expect(formatRemaining(result)).toBe(
      'Left for manual migration (1 use):\n  src/b.ts:2 direct-instantiation new X(…)\n',
    );
    expect(formatRemaining({ ...result, remaining: [] })).toBe('');
  });

  it('sums up what was or would be fixed', () => {
    expect(formatFixSummary(result, false)).toBe(
      'Fixed 1 file of 7; 1 file not parsed, left untouched.\n',
    );
    expect(formatFixSummary({ ...result, parseErrors: [] }, true)).toBe('Would fix 1 file of 7.\n');
    expect(formatFixSummary({ ...result, changes: [], parseErrors: [] }, false)).toBe(
      'Nothing to fix in 7 files.\n',
    );
  });
});

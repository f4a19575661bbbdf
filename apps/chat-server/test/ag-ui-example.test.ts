/**
 * examples/ag-ui/run.mjs (the HttpAgent example of docs/interop.md) against a started server:
 * it logs in, runs the calculator question and prints the events and the answer.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

const SCRIPT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../examples/ag-ui/run.mjs',
);

let test: TestServer;
beforeAll(async () => {
  test = await startTestServer();
});
afterAll(async () => {
  await test.server.close();
});

it('the AG-UI example prints the run’s events, the tool call and the answer 84', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT], {
    env: { PATH: process.env.PATH ?? '', AG_UI_SERVER: test.url, AG_UI_USER: 'example-user' },
    timeout: 60_000,
  });
  const lines = stdout.trim().split('\n');
  expect(lines[0]).toBe('> what is 12*(3+4)?');
  expect(lines[1]).toMatch(/^event RUN_STARTED /);
  expect(lines).toContain('event TOOL_CALL_START "calculator"');
  expect(lines).toContain('event TOOL_CALL_RESULT "84"');
  expect(lines.some((line) => /^event RUN_FINISHED/.test(line))).toBe(true);
  expect(lines).toContain('message assistant: calculator({"expression":"12*(3+4)"})');
  expect(lines).toContain('message tool: 84');
  expect(
    lines.some(
      (line) =>
        line.startsWith('message assistant: ') &&
        !line.includes('calculator(') &&
        line.includes('84'),
    ),
  ).toBe(true);
});

/**
 * The React example (`examples/ai-sdk-react`, built) in Chromium: `@ai-sdk/react`'s useChat with
 * `ai@7`'s WebSocketChatTransport against the built chat server's `/ai-sdk/ws`. The app is
 * served from an origin of its own (proxying `/api` and `/ai-sdk` like its vite.config.ts), and
 * the chat server started here allows that origin (ALLOWED_ORIGINS).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExamplePage, type ShownMessage } from './support/ai-sdk-react-page.js';
import { launchBrowser } from './support/browser.js';
import { startChatServer, type ChatServerProcess } from './support/chat-server-process.js';
import { serveExample, type ExampleServer } from './support/example-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const exampleDist = path.join(root, 'examples/ai-sdk-react/dist');

let example: ExampleServer | undefined;
let server: ChatServerProcess | undefined;
let browser: Browser | undefined;
let pages: ExamplePage[] = [];
let users = 0;

beforeAll(async () => {
  if (!fs.existsSync(path.join(exampleDist, 'index.html'))) {
    throw new Error(
      'examples/ai-sdk-react/dist is missing: build it first (npm run test:e2e does, or npm run build -w ai-sdk-react-example)',
    );
  }
  example = await serveExample(exampleDist);
  server = await startChatServer({ ALLOWED_ORIGINS: example.origin });
  example.setUpstream(server.url);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await example?.close();
  const exitCode = await server?.stop();
  if (server && exitCode !== 0) {
    console.error(`The chat server exited with ${exitCode}; its output:\n${server.output()}`);
  }
});

afterEach(async () => {
  const opened = pages;
  pages = [];
  const errors = opened.flatMap((page) => page.errors);
  await Promise.all(opened.map((page) => page.close()));
  expect(errors).toEqual([]);
});

async function open(url = example!.origin): Promise<ExamplePage> {
  const page = await ExamplePage.open(browser!, url);
  pages.push(page);
  return page;
}

function newUser(): string {
  users += 1;
  return `react-${process.pid}-${users}`;
}

function assistantAnswer(messages: ShownMessage[]): ShownMessage {
  const answers = messages.filter((message) => message.role === 'assistant');
  expect(answers).toHaveLength(1);
  return answers[0]!;
}

/** The calculator run's answer: reasoning, the tool call with output 84, then text with 84. */
function expectCalculatorAnswer(answer: ShownMessage): void {
  const types = answer.parts.map((part) => part.type);
  expect(types).toContain('reasoning');
  const tools = answer.parts.filter((part) => part.type === 'tool');
  expect(tools).toEqual([
    {
      type: 'tool',
      state: 'output-available',
      tool: 'calculator',
      input: JSON.stringify({ expression: '12*(3+4)' }),
      output: '84',
    },
  ]);
  const texts = answer.parts.filter((part) => part.type === 'text');
  expect(texts).toHaveLength(1);
  expect(texts[0]!.text).toContain('84');
  expect(types.indexOf('tool')).toBeLessThan(types.indexOf('text'));
}

describe('examples/ai-sdk-react in Chromium', () => {
  it(
    'does a calculator run: reasoning, the calculator tool with output 84, text with 84',
    { timeout: 45_000 },
    async () => {
      const page = await open();
      await page.signIn(newUser());
      await page.send('what is 12*(3+4)?');
      await page.waitForAnswerText('84');
      await page.waitForIdle();

      const messages = await page.messages();
      expect(messages.map((message) => message.role)).toEqual(['user', 'assistant']);
      expect(messages[0]!.parts).toEqual([{ type: 'text', text: 'what is 12*(3+4)?' }]);
      expectCalculatorAnswer(assistantAnswer(messages));
      expect(page.aiSdkSockets).toBe(1);
    },
  );

  it(
    'opens an existing thread from its UI messages, the answer shown once',
    { timeout: 45_000 },
    async () => {
      const userId = newUser();
      const first = await open();
      await first.signIn(userId);
      await first.send('what is 12*(3+4)?');
      await first.waitForAnswerText('84');
      await first.waitForIdle();
      const threadId = await first.threadId();
      const before = await first.messages();

      // Another browser (no session): signs in and opens the thread by its address. The history
      // comes from GET /ui-messages (no reasoning: history keeps none); the resume on open
      // replays the just-ended run (reasoning included) over the answer, which has its id.
      const second = await open(`${example!.origin}/?thread=${threadId}`);
      await second.signIn(userId);
      await second.waitForIdle();
      expect(await second.threadId()).toBe(threadId);
      const after = await second.messages();
      expect(after.map((message) => message.role)).toEqual(['user', 'assistant']);
      expect(after[0]!.parts).toEqual([{ type: 'text', text: 'what is 12*(3+4)?' }]);
      expectCalculatorAnswer(assistantAnswer(after));
      expect(after[1]!.id).toBe(before[1]!.id);
    },
  );

  it(
    'survives a dropped connection mid-run: the whole answer, each word once',
    { timeout: 60_000 },
    async () => {
      const userId = newUser();
      const page = await open();
      await page.signIn(userId);
      await page.send('stream 200 at 20');
      await page.waitForAnswerText('w20 ');
      expect(page.aiSdkSockets).toBe(1);

      const response = await fetch(`${server!.url}/api/v1/test/drop-connections`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { dropped: number }).dropped).toBeGreaterThanOrEqual(1);

      await page.waitForAnswerText('w200 ');
      await page.waitForIdle();
      expect(page.aiSdkSockets).toBeGreaterThanOrEqual(2);
      const words = Array.from({ length: 200 }, (_, index) => `w${index + 1} `).join('');
      const answer = assistantAnswer(await page.messages());
      expect(answer.parts.filter((part) => part.type === 'text')).toEqual([
        { type: 'text', text: words },
      ]);
    },
  );
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { usePageSession } from './support/page-session.js';

/**
 * Where the picture goes: `SCREENSHOT_PATH` when set (`npm run docs:screenshot` sets it to the
 * README's docs/screenshot.png), otherwise a temporary file removed after the test, so that a
 * test run never rewrites a committed file.
 */
const target = process.env.SCREENSHOT_PATH;
let tempDir: string | undefined;
afterEach(() => {
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
});

const session = usePageSession();

describe('the screenshot', () => {
  it('captures the page in the middle of a run', async () => {
    let file: string;
    if (target) {
      file = path.resolve(target);
      fs.mkdirSync(path.dirname(file), { recursive: true });
    } else {
      tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-screenshot-'));
      file = path.join(tempDir, 'screenshot.png');
    }
    const chat = await session.open();
    await chat.login('alice');
    const earlier = await chat.ask('what time is it?');
    await chat.waitForStatus(earlier, 'success');
    await chat.page.click('[data-testid=new-thread]');
    const done = await chat.ask('what is 12*(3+4)?');
    await chat.waitForStatus(done, 'success');
    const running = await chat.ask('slow 4');
    await chat.waitForEntry(running, 'agent_thinking', 'Working slowly… 2/4 s');

    await chat.page.screenshot({ path: file });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    expect(await chat.run(running).getAttribute('data-status')).toBe('running');
    await chat.waitForStatus(running, 'success');
  });
});

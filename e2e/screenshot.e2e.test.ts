import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { usePageSession } from './support/page-session.js';

/** The README's picture of the page. */
const SCREENSHOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../docs/screenshot.png',
);

const session = usePageSession();

describe('the screenshot', () => {
  it(`saves the page in the middle of a run to docs/screenshot.png`, async () => {
    const chat = await session.open();
    await chat.login('alice');
    const earlier = await chat.ask('what time is it?');
    await chat.waitForStatus(earlier, 'success');
    await chat.page.click('[data-testid=new-thread]');
    const done = await chat.ask('what is 12*(3+4)?');
    await chat.waitForStatus(done, 'success');
    const running = await chat.ask('slow 4');
    await chat.waitForEntry(running, 'agent_thinking', 'Working slowly… 2/4 s');

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await chat.page.screenshot({ path: SCREENSHOT });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    expect(await chat.run(running).getAttribute('data-status')).toBe('running');
    await chat.waitForStatus(running, 'success');
  });
});

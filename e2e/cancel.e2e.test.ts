import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './support/browser.js';
import { ChatPage, uniqueUser } from './support/chat-page.js';

const baseUrl = inject('baseUrl');
let browser: Browser;
let chat: ChatPage | undefined;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  const errors = chat?.errors ?? [];
  await chat?.close();
  chat = undefined;
  expect(errors).toEqual([]);
});

describe('cancel', () => {
  it('the cancel button ends a running run with status cancelled', async () => {
    chat = await ChatPage.open(browser, baseUrl);
    await chat.login(uniqueUser('cancel'));
    const runId = await chat.ask('slow 30');
    await chat.waitForEntry(runId, 'agent_thinking', 'Working slowly… 1/30 s');
    const cancel = chat.run(runId).locator('[data-testid=cancel-run]');
    expect(await cancel.isVisible()).toBe(true);
    expect(await chat.run(runId).getAttribute('data-status')).toBe('running');

    await cancel.click();
    await chat.waitForStatus(runId, 'cancelled', 5000);

    expect(await chat.run(runId).locator('[data-testid=run-status]').textContent()).toBe(
      'Cancelled',
    );
    expect(await cancel.isHidden()).toBe(true);
    const timeline = await chat.timeline(runId);
    expect(timeline.at(-1)).toMatchObject({ type: 'agent_completed' });
    expect(timeline.at(-1)?.text).toMatch(/^Cancelled/);
    expect(timeline.filter((row) => row.type === 'agent_completed')).toHaveLength(1);
    // Stopped long before the 30 s: at most a few of the per-second thinking rows.
    expect(timeline.filter((row) => row.text.includes('Working slowly')).length).toBeLessThan(10);
  });
});

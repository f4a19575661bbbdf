import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './support/browser.js';
import { ChatPage, uniqueUser } from './support/chat-page.js';

const baseUrl = inject('baseUrl');
let browser: Browser;
let tabs: ChatPage[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  const errors = tabs.flatMap((tab) => tab.errors);
  await Promise.all(tabs.map((tab) => tab.close()));
  tabs = [];
  expect(errors).toEqual([]);
});

describe('two tabs of one user', () => {
  it('show the same conversation, whichever tab writes', async () => {
    const userId = uniqueUser('tabs');
    const first = await ChatPage.open(browser, baseUrl);
    const second = await ChatPage.open(browser, baseUrl);
    tabs = [first, second];
    await first.login(userId);
    await second.login(userId);

    const runId = await first.ask('what is 12*(3+4)?');
    await first.waitForStatus(runId, 'success');
    await second.waitForStatus(runId, 'success');

    for (const tab of tabs) {
      expect(await tab.page.locator('[data-testid=user-message]').allTextContents()).toEqual([
        'what is 12*(3+4)?',
      ]);
      expect(await tab.run(runId).locator('[data-testid=tool-result]').textContent()).toBe('84');
      expect(await tab.answer(runId)).toEqual({ text: '12*(3+4) = 84.', source: 'stream' });
    }
    expect(await second.timeline(runId)).toEqual(await first.timeline(runId));
    expect(await second.runSeqs(runId)).toEqual(await first.runSeqs(runId));

    // The second tab follows the thread it was shown and continues it; the first sees that too.
    const followUp = await second.ask('what is 2+3?');
    await second.waitForStatus(followUp, 'success');
    await first.waitForStatus(followUp, 'success');
    for (const tab of tabs) {
      expect(await tab.page.locator('[data-testid=user-message]').allTextContents()).toEqual([
        'what is 12*(3+4)?',
        'what is 2+3?',
      ]);
      expect(await tab.page.locator('[data-testid=thread-item]').count()).toBe(1);
    }
    expect(await first.timeline(followUp)).toEqual(await second.timeline(followUp));
  });
});

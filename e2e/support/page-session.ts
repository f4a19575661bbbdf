import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { launchBrowser } from './browser.js';
import { ChatPage } from './chat-page.js';

/** What {@link usePageSession} gives a test file. */
export interface PageSession {
  /** The served chat server's origin, from the global setup. */
  readonly baseUrl: string;
  /** Opens the chat page in a new browser context (a browser of its own); closed after the test. */
  open(): Promise<ChatPage>;
  /** Opens another tab of `tab`'s browser context; closed after the test. */
  openTab(tab: ChatPage): Promise<ChatPage>;
}

/**
 * Registers the hooks every browser test file shares: one chromium per file, every tab opened
 * by a test closed after it, and the test failed when any of its tabs saw a page error.
 */
export function usePageSession(): PageSession {
  const baseUrl = inject('baseUrl');
  let browser: Browser | undefined;
  let pages: ChatPage[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(async () => {
    const opened = pages;
    pages = [];
    const errors = opened.flatMap((page) => page.errors);
    await Promise.all(opened.map((page) => page.close()));
    expect(errors).toEqual([]);
  });

  return {
    baseUrl,
    async open() {
      if (!browser) throw new Error('the browser is not launched yet (call open() inside a test)');
      const page = await ChatPage.open(browser, baseUrl);
      pages.push(page);
      return page;
    },
    async openTab(tab) {
      const page = await tab.openTab();
      pages.push(page);
      return page;
    },
  };
}

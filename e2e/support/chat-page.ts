/**
 * The chat page as the browser tests drive it: a tab in a browser context (a context has its own
 * localStorage, so it is one browser or device signed in on its own; {@link ChatPage.openTab}
 * opens another tab of the same one), the `data-testid` hooks of `apps/chat-server/web`, and a
 * record of page errors and of every URL the page asked for.
 */
import type { Browser, BrowserContext, ConsoleMessage, Locator, Page } from 'playwright-core';

/** How long a step may wait for the page. */
export const WAIT_MS = 15_000;

/** One row of a run's timeline. */
export interface TimelineRow {
  type: string;
  seq: number;
  text: string;
}

/** A page of the chat, signed in or not. */
export class ChatPage {
  /** Uncaught errors and console errors (other than the expected history probe). */
  readonly errors: string[] = [];
  /** Every URL requested: documents, scripts, fetches and WebSockets. */
  readonly requests: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    /** Whether closing this tab closes its context (the first tab of a context does). */
    private readonly ownsContext = true,
  ) {
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (error) => this.errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !isHistoryProbe(message)) {
        this.errors.push(`console: ${message.text()} (${message.location().url})`);
      }
    });
    page.on('request', (request) => this.requests.push(request.url()));
    page.on('websocket', (socket) => this.requests.push(socket.url()));
  }

  /** Opens the page in a fresh context (a new tab with its own session). */
  static async open(browser: Browser, baseUrl: string): Promise<ChatPage> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const chat = new ChatPage(context, await context.newPage());
    await chat.page.goto(baseUrl);
    return chat;
  }

  /**
   * Opens another tab of this tab's browser context (same localStorage: the same browser), and
   * records whether the login form ever appears in it ({@link loginFormSeen}).
   */
  async openTab(): Promise<ChatPage> {
    const tab = new ChatPage(this.context, await this.context.newPage(), false);
    await tab.page.addInitScript(() => {
      const seen = { login: false };
      (window as unknown as { loginFormSeen: typeof seen }).loginFormSeen = seen;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid=login-form]')) seen.login = true;
      }).observe(document, { childList: true, subtree: true });
    });
    await tab.page.goto(this.page.url());
    return tab;
  }

  /** For a tab from {@link openTab}: whether its login form was ever shown. */
  async loginFormSeen(): Promise<boolean> {
    return this.page.evaluate(
      () =>
        (window as unknown as { loginFormSeen?: { login: boolean } }).loginFormSeen?.login ??
        document.querySelector('[data-testid=login-form]') !== null,
    );
  }

  /** Signs in with the development login and waits for the connection. */
  async login(userId: string): Promise<void> {
    await this.page.fill('[data-testid=login-user-id]', userId);
    await this.page.click('[data-testid=login-submit]');
    await this.waitForIndicator('connected');
  }

  async waitForIndicator(state: string): Promise<void> {
    await this.page.waitForSelector(`[data-testid=connection-indicator][data-state="${state}"]`);
  }

  /** Sends `text` with Enter and returns the run id of the run it started. */
  async ask(text: string): Promise<string> {
    const before = await this.page.locator('[data-testid=run]').count();
    await this.page.fill('[data-testid=message-input]', text);
    await this.page.press('[data-testid=message-input]', 'Enter');
    await this.page.waitForFunction(
      (count) => document.querySelectorAll('[data-testid=run]').length > count,
      before,
    );
    const runId = await this.page.locator('[data-testid=run]').last().getAttribute('data-run-id');
    if (!runId) throw new Error('the new run card has no data-run-id');
    return runId;
  }

  run(runId: string): Locator {
    return this.page.locator(`[data-testid=run][data-run-id="${runId}"]`);
  }

  /** Waits until the run's card shows `status` (`running`, `success`, `cancelled`…). */
  async waitForStatus(runId: string, status: string, timeout = WAIT_MS): Promise<void> {
    await this.page.waitForSelector(
      `[data-testid=run][data-run-id="${runId}"][data-status="${status}"]`,
      { timeout },
    );
  }

  /** Waits until the run's timeline has a row of `type` whose text contains `text`. */
  async waitForEntry(runId: string, type: string, text = ''): Promise<void> {
    await this.run(runId)
      .locator(`[data-testid=timeline-entry][data-type="${type}"]`, { hasText: text })
      .first()
      .waitFor();
  }

  /** The run's timeline rows, in page order. */
  timeline(runId: string): Promise<TimelineRow[]> {
    return this.run(runId)
      .locator('[data-testid=timeline-entry]')
      .evaluateAll((rows) =>
        rows.map((row) => ({
          type: row.getAttribute('data-type') ?? '',
          seq: Number(row.getAttribute('data-seq')),
          text: row.textContent ?? '',
        })),
      );
  }

  /**
   * Every `seq` the page shows for a run, in page order: its user message, its timeline rows and
   * the streamed pieces of its answer.
   */
  runSeqs(runId: string): Promise<number[]> {
    return this.page.evaluate((id) => {
      const nodes = [
        ...document.querySelectorAll(`[data-testid=user-message][data-run-id="${id}"][data-seq]`),
        ...document.querySelectorAll(`[data-testid=run][data-run-id="${id}"] [data-seq]`),
      ];
      return nodes.map((node) => Number(node.getAttribute('data-seq')));
    }, runId);
  }

  /**
   * The run's answer and where it came from: `stream` when the streamed deltas add up to the final
   * response (each delta shown once), `response` when the page fell back to the final response.
   */
  async answer(runId: string): Promise<{ text: string; source: string | null }> {
    const answer = this.run(runId).locator('[data-testid=run-answer]');
    return {
      text: (await answer.textContent()) ?? '',
      source: await answer.getAttribute('data-source'),
    };
  }

  async text(selector: string): Promise<string> {
    return (await this.page.locator(selector).textContent()) ?? '';
  }

  /** Starts recording each state the connection indicator shows (see {@link indicatorHistory}). */
  async recordIndicator(): Promise<void> {
    await this.page.evaluate(() => {
      const indicator = document.querySelector('[data-testid=connection-indicator]');
      if (!indicator) throw new Error('no connection indicator');
      const record: string[] = [indicator.getAttribute('data-state') ?? ''];
      (window as unknown as { indicatorHistory: string[] }).indicatorHistory = record;
      // Each record's old value is the state before it; the last one's new value is current.
      new MutationObserver((mutations) => {
        for (const mutation of mutations.slice(1)) record.push(mutation.oldValue ?? '');
        record.push(indicator.getAttribute('data-state') ?? '');
      }).observe(indicator, {
        attributes: true,
        attributeFilter: ['data-state'],
        attributeOldValue: true,
      });
    });
  }

  /** The states recorded since {@link recordIndicator}, repeats collapsed. */
  async indicatorHistory(): Promise<string[]> {
    const record = await this.page.evaluate(
      () => (window as unknown as { indicatorHistory?: string[] }).indicatorHistory ?? [],
    );
    return record.filter((state, index) => state !== record[index - 1]);
  }

  async close(): Promise<void> {
    if (this.ownsContext) await this.context.close();
    else if (!this.page.isClosed()) await this.page.close().catch(() => undefined);
  }
}

/** `GET /api/v1/threads` answers 404 while the server keeps no history: the page falls back. */
function isHistoryProbe(message: ConsoleMessage): boolean {
  return message.text().includes('404') && message.location().url.includes('/api/v1/threads');
}

/** `POST /api/v1/test/drop-connections`: the server drops the user's sockets; returns how many. */
export async function dropConnections(baseUrl: string, userId: string): Promise<number> {
  const response = await fetch(`${baseUrl}/api/v1/test/drop-connections`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  if (response.status !== 200) throw new Error(`drop-connections answered ${response.status}`);
  return ((await response.json()) as { dropped: number }).dropped;
}

/** A user id no other test (or earlier run against the same server) uses. */
export function uniqueUser(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Whether `seqs` are distinct and consecutive (in any order). */
export function isContiguous(seqs: readonly number[]): boolean {
  const sorted = [...seqs].sort((a, b) => a - b);
  return sorted.every((seq, index) => index === 0 || seq === (sorted[index - 1] ?? NaN) + 1);
}

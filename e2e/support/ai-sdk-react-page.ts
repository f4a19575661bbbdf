/** A tab of the built `examples/ai-sdk-react` app, driven by playwright-core. */
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** One rendered message part, read from the page's `data-*` attributes. */
export interface ShownPart {
  type: string;
  /** Text and reasoning parts: their text. */
  text?: string;
  /** Tool parts: the state, the tool, and the input and output as shown (JSON). */
  state?: string;
  tool?: string;
  input?: string;
  output?: string;
}

/** One rendered message. */
export interface ShownMessage {
  role: string;
  id: string;
  parts: ShownPart[];
}

const ANSWER_TIMEOUT_MS = 20_000;

/** The example app in a browser context of its own. */
export class ExamplePage {
  /** Uncaught errors the page threw. */
  readonly errors: string[] = [];
  /** How many WebSockets the page opened to `/ai-sdk/ws`. */
  aiSdkSockets = 0;

  private constructor(
    private readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('pageerror', (error) => this.errors.push(error.message));
    page.on('websocket', (socket) => {
      if (new URL(socket.url()).pathname === '/ai-sdk/ws') this.aiSdkSockets += 1;
    });
  }

  /** Opens `url` (the example's origin, or a `?thread=` address on it) in a new context. */
  static async open(browser: Browser, url: string): Promise<ExamplePage> {
    const context = await browser.newContext();
    const example = new ExamplePage(context, await context.newPage());
    await example.page.goto(url);
    return example;
  }

  /** Signs in through the dev login form and waits for the chat. */
  async signIn(userId: string): Promise<void> {
    await this.page.fill('input[name="userId"]', userId);
    await this.page.click('form.login button[type="submit"]');
    await this.page.waitForSelector(`[data-user-id="${userId}"]`);
  }

  /** Waits until the open thread has resumed whatever it had, then sends `text`. */
  async send(text: string): Promise<void> {
    const input = this.page.locator('input[name="message"]:not([disabled])');
    await input.fill(text);
    await input.press('Enter');
  }

  /** The open thread's id (the chat id of useChat). */
  threadId(): Promise<string> {
    return this.page.locator('.conversation').getAttribute('data-thread-id') as Promise<string>;
  }

  /** Waits until the last assistant message's text contains `text`. */
  async waitForAnswerText(text: string): Promise<void> {
    await this.explainTimeout(`an answer containing ${JSON.stringify(text)}`, () =>
      this.page.waitForFunction(
        (expected) => {
          const answers = document.querySelectorAll('[data-role="assistant"]');
          const last = answers[answers.length - 1];
          return [...(last?.querySelectorAll('[data-part="text"]') ?? [])].some((part) =>
            (part.textContent ?? '').includes(expected),
          );
        },
        text,
        { timeout: ANSWER_TIMEOUT_MS },
      ),
    );
  }

  /** Waits until the thread is open and no run is streaming. */
  async waitForIdle(): Promise<void> {
    await this.explainTimeout('the thread open and idle', () =>
      this.page.waitForSelector('[data-chat-status="ready"][data-opening="false"]', {
        timeout: ANSWER_TIMEOUT_MS,
      }),
    );
  }

  /** Runs `wait`; when it fails, says what the page shows instead (status line, alerts). */
  private async explainTimeout(what: string, wait: () => Promise<unknown>): Promise<void> {
    try {
      await wait();
    } catch (error) {
      const shown = await this.page
        .$$eval('.status, [role="alert"]', (elements) =>
          elements.map((element) => element.textContent ?? '').join(' | '),
        )
        .catch(() => 'nothing readable');
      throw new Error(`Waited for ${what}; the page shows: ${shown}`, { cause: error });
    }
  }

  /** The messages as shown. */
  messages(): Promise<ShownMessage[]> {
    return this.page.$$eval('[data-role]', (elements) =>
      elements.map((element) => ({
        role: element.getAttribute('data-role') ?? '',
        id: element.getAttribute('data-message-id') ?? '',
        parts: [...element.querySelectorAll('[data-part]')].map((part) => {
          const type = part.getAttribute('data-part') ?? '';
          if (type !== 'tool') return { type, text: part.textContent ?? '' };
          const field = (name: string) =>
            part.querySelector(`[data-field="${name}"]`)?.textContent ?? undefined;
          return {
            type,
            state: part.getAttribute('data-state') ?? '',
            tool: part.querySelector('.tool-name')?.textContent ?? '',
            input: field('input'),
            output: field('output'),
          };
        }),
      })),
    );
  }

  close(): Promise<void> {
    return this.context.close();
  }
}

import { describe, expect, it } from 'vitest';
import { usePageSession } from './support/page-session.js';
import { uniqueUser } from './support/chat-page.js';

const session = usePageSession();
const { baseUrl } = session;

describe('the chat page, golden path', () => {
  it('signs in, asks the calculator and shows the tool, its result, the answer and success', async () => {
    const chat = await session.open();
    const userId = uniqueUser('golden');
    await chat.login(userId);
    expect(await chat.text('[data-testid=user-id]')).toBe(userId);

    const runId = await chat.ask('what is 12*(3+4)?');
    await chat.waitForStatus(runId, 'success');

    const run = chat.run(runId);
    expect(await run.locator('[data-testid=run-status]').textContent()).toBe('Success');
    expect(await run.locator('[data-testid=cancel-run]').isHidden()).toBe(true);
    const timeline = await chat.timeline(runId);
    expect(timeline[0]?.type).toBe('agent_started');
    expect(timeline.at(-1)?.type).toBe('agent_completed');
    expect(timeline.map((row) => row.type)).toEqual(
      expect.arrayContaining(['agent_thinking', 'tool_executing', 'tool_completed']),
    );
    const tool = run.locator('[data-testid=timeline-entry][data-type=tool_executing]');
    expect(await tool.count()).toBe(1);
    expect(await tool.locator('[data-testid=tool-name]').textContent()).toBe('calculator');
    expect(await tool.locator('[data-testid=tool-args]').textContent()).toBe(
      'expression: 12*(3+4)',
    );
    const result = run.locator('[data-testid=timeline-entry][data-type=tool_completed]');
    expect(await result.locator('[data-testid=tool-result]').textContent()).toBe('84');
    expect(await result.locator('[data-testid=tool-duration]').textContent()).toMatch(
      /^ · \d+(\.\d)? (ms|s)$/,
    );
    const answer = await chat.answer(runId);
    expect(answer.text).toContain('84');
    expect(answer).toEqual({ text: '12*(3+4) = 84.', source: 'stream' });
    const seqs = [...(await chat.runSeqs(runId))].sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_seq, index) => (seqs[0] ?? 0) + index));

    expect(await chat.page.locator('[data-testid=user-message]').allTextContents()).toEqual([
      'what is 12*(3+4)?',
    ]);
    expect(await chat.page.locator('[data-testid=thread-item]').count()).toBe(1);
    expect(await chat.text('[data-testid=conversation-title]')).toBe('what is 12*(3+4)?');

    // Nothing but the server itself: no CDN, no other host.
    const origin = new URL(baseUrl);
    for (const url of chat.requests) {
      expect(new URL(url).host, url).toBe(origin.host);
    }
    expect(chat.requests).toContain(`${baseUrl}/assets/app.js`);
    expect(chat.requests.some((url) => url.startsWith(`ws://${origin.host}/ws`))).toBe(true);
  });

  it('stays signed in across a reload and shows the earlier thread from the history', async () => {
    const chat = await session.open();
    const userId = uniqueUser('reload');
    await chat.login(userId);
    const stored = await chat.page.evaluate(() => localStorage.getItem('chat.session'));
    expect(JSON.parse(stored ?? '{}')).toMatchObject({ userId, token: expect.any(String) });
    const earlier = await chat.ask('what is 12*(3+4)?');
    await chat.waitForStatus(earlier, 'success');

    await chat.page.reload();
    await chat.waitForIndicator('connected');
    expect(await chat.text('[data-testid=user-id]')).toBe(userId);
    expect(await chat.page.locator('[data-testid=login-form]').count()).toBe(0);

    // GET /api/v1/threads lists the thread; opening it loads its messages.
    const thread = chat.page.locator('[data-testid=thread-item]', { hasText: 'what is 12*(3+4)?' });
    await thread.click();
    await chat.waitForStatus(earlier, 'success');
    expect(await chat.page.locator('[data-testid=user-message]').allTextContents()).toEqual([
      'what is 12*(3+4)?',
    ]);
    expect((await chat.answer(earlier)).text).toBe('12*(3+4) = 84.');
    expect(await chat.run(earlier).locator('[data-testid=tool-args]').textContent()).toBe(
      'expression: 12*(3+4)',
    );

    // The conversation goes on in that thread.
    const next = await chat.ask('what is 2+3?');
    await chat.waitForStatus(next, 'success');
    expect(await chat.answer(next)).toEqual({ text: '2+3 = 5.', source: 'stream' });
    expect(await chat.page.locator('[data-testid=user-message]').allTextContents()).toEqual([
      'what is 12*(3+4)?',
      'what is 2+3?',
    ]);
    expect(await chat.page.locator('[data-testid=thread-item]').count()).toBe(1);

    await chat.page.click('[data-testid=sign-out]');
    await chat.page.waitForSelector('[data-testid=login-form]');
    expect(await chat.page.evaluate(() => localStorage.getItem('chat.session'))).toBeNull();
  });
});

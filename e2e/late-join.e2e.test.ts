/**
 * Every view gets the whole run: a second device that signs in mid-run, a second tab of the same
 * browser, and a reload mid-run each show the run in flight from its first event — agent name,
 * every step, the answer so far — then follow it live (docs/protocol.md#8-joining-mid-run).
 */
import { describe, expect, it } from 'vitest';
import type { ChatPage } from './support/chat-page.js';
import { isContiguous, uniqueUser } from './support/chat-page.js';
import { usePageSession } from './support/page-session.js';

const session = usePageSession();

/** The run as a test compares it across tabs: timeline rows, shown seqs, agent, answer. */
async function snapshot(tab: ChatPage, runId: string) {
  return {
    agent: await tab.run(runId).locator('[data-testid=run-agent]').textContent(),
    timeline: await tab.timeline(runId),
    seqs: await tab.runSeqs(runId),
    answer: await tab.answer(runId),
    userMessages: await tab.page.locator('[data-testid=user-message]').allTextContents(),
  };
}

/** `Working slowly… n/of s` for n = 1..upTo. */
function slowSteps(upTo: number, of: number): string[] {
  return Array.from({ length: upTo }, (_, index) => `Working slowly… ${index + 1}/${of} s`);
}

async function thinkingTexts(tab: ChatPage, runId: string): Promise<string[]> {
  return tab
    .run(runId)
    .locator('[data-testid=timeline-entry][data-type=agent_thinking] .entry-text')
    .allTextContents();
}

describe('joining a run in flight', () => {
  it('a second device that signs in mid-run shows the whole run, then the same end as the first', async () => {
    const userId = uniqueUser('late');
    const first = await session.open();
    await first.login(userId);
    const runId = await first.ask('slow 8');
    await first.waitForEntry(runId, 'agent_thinking', 'Working slowly… 2/8 s');

    const late = await session.open(); // another browser context: another device
    await late.login(userId);
    await late.waitForEntry(runId, 'agent_thinking', 'Working slowly… 2/8 s');
    // Mid-run already: the agent's name, its start, the steps it took before this device opened.
    expect(await late.run(runId).locator('[data-testid=run-agent]').textContent()).toBe(
      'assistant',
    );
    const early = await late.timeline(runId);
    expect(early[0]?.type).toBe('agent_started');
    expect((await thinkingTexts(late, runId)).slice(0, 3)).toEqual([
      'Reading your message…',
      ...slowSteps(2, 8),
    ]);
    expect(await late.page.locator('[data-testid=user-message]').allTextContents()).toEqual([
      'slow 8',
    ]);

    // Away to a new conversation and back: opening the thread shows the run in flight again.
    await late.page.click('[data-testid=new-thread]');
    await late.page.waitForSelector('[data-testid=empty-state]');
    await late.page.click('[data-testid=thread-item]');
    await late.waitForEntry(runId, 'agent_started');
    expect((await thinkingTexts(late, runId)).slice(0, 3)).toEqual([
      'Reading your message…',
      ...slowSteps(2, 8),
    ]);

    await first.waitForStatus(runId, 'success', 30_000);
    await late.waitForStatus(runId, 'success', 30_000);
    const seen = await snapshot(first, runId);
    const joined = await snapshot(late, runId);
    expect(joined).toEqual(seen);
    expect(joined.agent).toBe('assistant');
    expect(joined.timeline.map((row) => row.type)).toEqual([
      'agent_started',
      ...Array<string>(9).fill('agent_thinking'),
      'agent_completed',
    ]);
    expect(await thinkingTexts(late, runId)).toEqual(['Reading your message…', ...slowSteps(8, 8)]);
    expect(joined.answer).toEqual({ text: 'Done after 8 seconds.', source: 'stream' });
    expect(isContiguous(joined.seqs)).toBe(true);
    // The late device's badge stayed "connected": catching up is not a reconnect.
    expect(await late.text('[data-testid=connection-label]')).toBe('Connected');
  });

  it('a second device that joins a long token stream shows every piece once, like the first', async () => {
    const userId = uniqueUser('late-stream');
    const first = await session.open();
    await first.login(userId);
    const runId = await first.ask('stream 3000 at 300');
    const pieces = (tab: ChatPage) => tab.run(runId).locator('[data-testid=run-answer] span');
    await expect.poll(() => pieces(first).count(), { timeout: 30_000 }).toBeGreaterThan(1000);

    const late = await session.open();
    await late.login(userId);
    await first.waitForStatus(runId, 'success', 60_000);
    await late.waitForStatus(runId, 'success', 60_000);
    const seen = await snapshot(first, runId);
    const joined = await snapshot(late, runId);
    expect(joined).toEqual(seen);
    expect(joined.agent).toBe('assistant');
    const words = Array.from({ length: 3000 }, (_, index) => `w${index + 1} `).join('');
    expect(joined.answer).toEqual({ text: words, source: 'stream' });
    expect(await pieces(late).count()).toBe(3000);
    expect(isContiguous(joined.seqs)).toBe(true);
  }, 120_000); // a hang guard: the run alone streams for 10 s

  it('a reload mid-run shows the whole run, then continues it live', async () => {
    const userId = uniqueUser('reload-run');
    const chat = await session.open();
    await chat.login(userId);
    const runId = await chat.ask('slow 6');
    await chat.waitForEntry(runId, 'agent_thinking', 'Working slowly… 2/6 s');

    await chat.page.reload();
    await chat.waitForIndicator('connected');
    await chat.waitForEntry(runId, 'agent_started');
    expect(await chat.page.locator('[data-testid=login-form]').count()).toBe(0);
    expect(await chat.run(runId).getAttribute('data-status')).toBe('running');
    expect((await thinkingTexts(chat, runId)).slice(0, 3)).toEqual([
      'Reading your message…',
      ...slowSteps(2, 6),
    ]);

    await chat.waitForStatus(runId, 'success', 30_000);
    const after = await snapshot(chat, runId);
    expect(after.agent).toBe('assistant');
    expect(after.timeline.map((row) => row.type)).toEqual([
      'agent_started',
      ...Array<string>(7).fill('agent_thinking'),
      'agent_completed',
    ]);
    expect(await thinkingTexts(chat, runId)).toEqual(['Reading your message…', ...slowSteps(6, 6)]);
    expect(after.answer).toEqual({ text: 'Done after 6 seconds.', source: 'stream' });
    expect(after.userMessages).toEqual(['slow 6']);
    expect(isContiguous(after.seqs)).toBe(true);
    expect(await chat.page.locator('[data-testid=run]').count()).toBe(1);
  });
});

describe('a second tab of the same browser', () => {
  it('opens signed in, shows the run in flight, and signs out with the first tab', async () => {
    const userId = uniqueUser('tab2');
    const first = await session.open();
    await first.login(userId);
    const runId = await first.ask('slow 5');
    await first.waitForEntry(runId, 'agent_thinking', 'Working slowly… 1/5 s');

    const second = await session.openTab(first);
    await second.waitForIndicator('connected');
    expect(await second.text('[data-testid=user-id]')).toBe(userId);
    await second.waitForEntry(runId, 'agent_started');
    await first.waitForStatus(runId, 'success', 30_000);
    await second.waitForStatus(runId, 'success', 30_000);
    expect(await snapshot(second, runId)).toEqual(await snapshot(first, runId));
    expect(await second.loginFormSeen()).toBe(false);

    // Signing out in one tab signs out the other.
    await first.page.click('[data-testid=sign-out]');
    await second.page.waitForSelector('[data-testid=login-form]');
    expect(await second.page.locator('[data-testid=chat-screen]').count()).toBe(0);
    expect(await second.page.evaluate(() => localStorage.getItem('chat.session'))).toBeNull();
  });
});

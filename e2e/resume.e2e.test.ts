import { describe, expect, it } from 'vitest';
import { usePageSession } from './support/page-session.js';
import { dropConnections, uniqueUser } from './support/chat-page.js';

const session = usePageSession();
const { baseUrl } = session;

describe('a dropped connection in the middle of a run', () => {
  it('reconnects, resumes, and shows every event of the run exactly once', async () => {
    const chat = await session.open();
    const userId = uniqueUser('resume');
    await chat.login(userId);
    await chat.recordIndicator();

    const runId = await chat.ask('slow 5');
    await chat.waitForEntry(runId, 'agent_thinking', 'Working slowly… 1/5 s');
    expect(await dropConnections(baseUrl, userId)).toBe(1);

    await chat.waitForIndicator('resumed');
    await chat.waitForStatus(runId, 'success', 15_000);

    const history = await chat.indicatorHistory();
    expect(history.slice(0, 2)).toEqual(['connected', 'reconnecting']);
    expect(history.at(-1)).toBe('resumed');
    expect(await chat.text('[data-testid=connection-label]')).toMatch(
      /^Resumed · \d+ events? replayed$/,
    );

    // Every event of the run once: the user message, the timeline rows, the answer's pieces.
    const seqs = await chat.runSeqs(runId);
    const sorted = [...seqs].sort((a, b) => a - b);
    const first = sorted[0] ?? 0;
    expect(sorted).toEqual(sorted.map((_seq, index) => first + index));
    const timeline = await chat.timeline(runId);
    expect(timeline.map((row) => row.seq)).toEqual(
      [...timeline.map((row) => row.seq)].sort((a, b) => a - b),
    );
    expect(timeline.map((row) => row.type)).toEqual([
      'agent_started',
      ...Array<string>(6).fill('agent_thinking'),
      'agent_completed',
    ]);
    expect(
      timeline.filter((row) => row.text.includes('Working slowly')).map((row) => row.text),
    ).toEqual(
      [1, 2, 3, 4, 5].map((second) => expect.stringContaining(`Working slowly… ${second}/5 s`)),
    );
    expect(await chat.answer(runId)).toEqual({ text: 'Done after 5 seconds.', source: 'stream' });
    expect(await chat.page.locator('[data-testid=user-message]').allTextContents()).toEqual([
      'slow 5',
    ]);
    expect(await chat.page.locator('[data-testid=run]').count()).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { usePageSession } from './support/page-session.js';
import { uniqueUser } from './support/chat-page.js';

const session = usePageSession();

describe('two tabs of one user', () => {
  it('show the same conversation, whichever tab writes', async () => {
    const userId = uniqueUser('tabs');
    const first = await session.open();
    const second = await session.open();
    const tabs = [first, second];
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

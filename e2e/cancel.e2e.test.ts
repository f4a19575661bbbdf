import { describe, expect, it } from 'vitest';
import { usePageSession } from './support/page-session.js';
import { uniqueUser } from './support/chat-page.js';

const session = usePageSession();

describe('cancel', () => {
  it('the cancel button ends a running run with status cancelled', async () => {
    const chat = await session.open();
    await chat.login(uniqueUser('cancel'));
    const runId = await chat.ask('slow 30');
    await chat.waitForEntry(runId, 'agent_thinking', 'Working slowly… 1/30 s');
    const cancel = chat.run(runId).locator('[data-testid=cancel-run]');
    expect(await cancel.isVisible()).toBe(true);
    expect(await chat.run(runId).getAttribute('data-status')).toBe('running');

    await cancel.click();
    // `slow 30` would end with success: `cancelled` is the button's doing, whenever it lands.
    await chat.waitForStatus(runId, 'cancelled');

    expect(await chat.run(runId).locator('[data-testid=run-status]').textContent()).toBe(
      'Cancelled',
    );
    expect(await cancel.isHidden()).toBe(true);
    const timeline = await chat.timeline(runId);
    expect(timeline.at(-1)).toMatchObject({ type: 'agent_completed' });
    expect(timeline.at(-1)?.text).toMatch(/^Cancelled/);
    expect(timeline.filter((row) => row.type === 'agent_completed')).toHaveLength(1);
    expect(timeline.filter((row) => row.text.includes('30/30 s'))).toEqual([]);
  });
});

/**
 * The selected thread: the user's messages and a run card under each, appended as the stream
 * adds them; an empty thread shows what to try.
 */
import type { ConversationStore, ThreadItem } from './conversation-store.js';
import { el } from './element-builder.js';
import { createRunCard, type RunCard } from './run-timeline.js';

/** Messages that show each behaviour of the demo agent. */
const SUGGESTIONS = ['what is 12*(3+4)?', 'what time is it?', 'slow 5', 'fail tool', 'crash agent'];

/** How long run cards wait for an animation frame before they update anyway (a hidden tab). */
const RUN_UPDATE_FALLBACK_MS = 250;

/** The conversation column. */
export interface ConversationView {
  readonly element: HTMLElement;
  /** Shows `threadId` (undefined: a new conversation, not started yet). */
  show(threadId: string | undefined): void;
  /** Shows a notice above the messages (undefined: hides it). */
  notice(text: string | undefined): void;
}

/**
 * @param onSuggestion called with a suggestion the user picked (to fill the composer)
 * @param onCancel cancels a run
 */
export function createConversationView(
  store: ConversationStore,
  onSuggestion: (text: string) => void,
  onCancel: (runId: string) => Promise<void>,
): ConversationView {
  const title = el('h1', { className: 'conversation-title', testId: 'conversation-title' });
  const banner = el('p', { className: 'notice', testId: 'notice', attrs: { role: 'alert' } });
  banner.hidden = true;
  const list = el('div', { className: 'messages', testId: 'messages' });
  const scroller = el('div', { className: 'conversation-scroll' }, [banner, list]);
  const element = el('section', { className: 'conversation' }, [
    el('header', { className: 'conversation-header' }, [title]),
    scroller,
  ]);

  let current: string | undefined;
  let rendered = 0;
  const cards = new Map<string, RunCard>();

  const emptyState = (): HTMLElement =>
    el('div', { className: 'empty-state', testId: 'empty-state' }, [
      el('p', { text: 'Ask the assistant something. Try:' }),
      el(
        'div',
        { className: 'suggestions' },
        SUGGESTIONS.map((text) => {
          const chip = el('button', {
            className: 'chip',
            testId: 'suggestion',
            text,
            attrs: { type: 'button' },
          });
          chip.addEventListener('click', () => onSuggestion(text));
          return chip;
        }),
      ),
    ]);

  const renderItem = (item: ThreadItem): HTMLElement | undefined => {
    if (item.kind === 'user') {
      const attrs: Record<string, string> = { 'data-run-id': item.runId };
      if (item.seq !== undefined) attrs['data-seq'] = String(item.seq);
      return el('div', { className: 'user-message', testId: 'user-message', attrs }, [
        el('p', { className: 'bubble', text: item.text }),
      ]);
    }
    const run = store.run(item.runId);
    if (!run) return undefined;
    const card = createRunCard(run, onCancel);
    cards.set(run.runId, card);
    return card.element;
  };

  const stickToBottom = (update: () => void): void => {
    const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    update();
    if (atBottom) scroller.scrollTop = scroller.scrollHeight;
  };

  const appendNewItems = (): void => {
    const thread = current === undefined ? undefined : store.thread(current);
    const items = thread?.items ?? [];
    if (rendered === 0 && items.length > 0) list.replaceChildren();
    for (; rendered < items.length; rendered++) {
      const item = items[rendered];
      const node = item && renderItem(item);
      if (node) list.append(node);
    }
  };

  const show = (threadId: string | undefined): void => {
    current = threadId;
    rendered = 0;
    cards.clear();
    const thread = threadId === undefined ? undefined : store.thread(threadId);
    title.textContent = thread?.title || 'New conversation';
    list.replaceChildren(emptyState());
    appendNewItems();
    scroller.scrollTop = scroller.scrollHeight;
  };

  // Run cards update once per frame, not once per event: a view catching up on a long token
  // stream gets thousands of events in a burst, and measuring the scroll position for each kept
  // the browser busy for seconds. A timer stands in for frames a hidden tab does not get.
  const changedRuns = new Set<string>();
  let frame: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const updateChangedRuns = (): void => {
    if (frame !== undefined) cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
    frame = timer = undefined;
    const runIds = [...changedRuns];
    changedRuns.clear();
    stickToBottom(() => {
      for (const runId of runIds) {
        const card = cards.get(runId);
        const run = store.run(runId);
        if (card && run) card.update(run);
      }
    });
  };
  const scheduleRunUpdates = (): void => {
    frame ??= requestAnimationFrame(updateChangedRuns);
    timer ??= setTimeout(updateChangedRuns, RUN_UPDATE_FALLBACK_MS);
  };

  store.subscribe((change) => {
    if (change.type === 'thread_items' && change.threadId === current) {
      stickToBottom(appendNewItems);
    } else if (change.type === 'thread_loaded' && change.threadId === current) {
      show(current);
    } else if (change.type === 'run') {
      changedRuns.add(change.runId);
      scheduleRunUpdates();
    } else if (change.type === 'threads' && current !== undefined) {
      title.textContent = store.thread(current)?.title || 'New conversation';
    }
  });

  show(undefined);
  return {
    element,
    show,
    notice(text) {
      banner.hidden = text === undefined;
      banner.textContent = text ?? '';
    },
  };
}

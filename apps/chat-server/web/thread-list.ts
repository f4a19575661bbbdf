/**
 * The sidebar's list of threads, newest first, with the state of each one's latest run and a dot
 * on threads that changed while another was shown.
 */
import type { ConversationStore } from './conversation-store.js';
import { el } from './element-builder.js';

/** The list and its selection. */
export interface ThreadList {
  readonly element: HTMLElement;
  /** The selected thread (undefined: a new conversation). */
  readonly selected: string | undefined;
  /** Selects a thread (and tells `onSelect`). */
  select(threadId: string | undefined): void;
}

/**
 * @param onSelect called when the selection changes (by a click or {@link ThreadList.select})
 */
export function createThreadList(
  store: ConversationStore,
  onSelect: (threadId: string | undefined) => void,
): ThreadList {
  const newThread = el('button', {
    className: 'button button--primary new-thread',
    testId: 'new-thread',
    text: '+ New conversation',
    attrs: { type: 'button' },
  });
  const list = el('ul', { className: 'thread-items', testId: 'thread-list' });
  const element = el('nav', { className: 'threads', attrs: { 'aria-label': 'Conversations' } }, [
    newThread,
    list,
  ]);
  let selected: string | undefined;
  const unread = new Set<string>();

  const render = (): void => {
    const threads = store.threads();
    if (threads.length === 0) {
      list.replaceChildren(el('li', { className: 'threads-empty', text: 'No conversations yet.' }));
      return;
    }
    list.replaceChildren(
      ...threads.map((thread) => {
        const phase = store.latestRun(thread.threadId)?.view.status;
        const button = el(
          'button',
          {
            className: 'thread-item',
            testId: 'thread-item',
            attrs: { type: 'button', 'data-thread-id': thread.threadId },
          },
          [
            el('span', { className: 'thread-title', text: thread.title || 'Untitled' }),
            el('span', { className: 'thread-meta' }, [
              phase
                ? el('span', {
                    className: 'thread-phase',
                    text: phase,
                    attrs: { 'data-status': phase },
                  })
                : null,
              el('time', {
                text: formatTime(thread.updatedAt),
                attrs: { datetime: thread.updatedAt },
              }),
            ]),
            unread.has(thread.threadId)
              ? el('span', { className: 'unread-dot', attrs: { 'aria-label': 'updated' } })
              : null,
          ],
        );
        if (thread.threadId === selected) button.setAttribute('aria-current', 'true');
        button.addEventListener('click', () => select(thread.threadId));
        return el('li', {}, [button]);
      }),
    );
  };

  const select = (threadId: string | undefined): void => {
    selected = threadId;
    if (threadId !== undefined) unread.delete(threadId);
    render();
    onSelect(threadId);
  };

  newThread.addEventListener('click', () => select(undefined));
  store.subscribe((change) => {
    if (change.type === 'thread_items' && change.threadId !== selected) unread.add(change.threadId);
    if (change.type === 'threads' || change.type === 'thread_items') render();
  });
  render();

  return {
    element,
    get selected() {
      return selected;
    },
    select,
  };
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

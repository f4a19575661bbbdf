import type { ThreadSummary } from './server-api';

/** What {@link ThreadList} shows. */
export interface ThreadListProps {
  threads: ThreadSummary[];
  currentId: string;
  onOpen: (threadId: string) => void;
  onNew: () => void;
}

/** The user's threads, newest first; choosing one opens it with its history. */
export function ThreadList({ threads, currentId, onOpen, onNew }: ThreadListProps) {
  return (
    <nav className="threads">
      <button onClick={onNew}>New chat</button>
      <ul>
        {threads.map((thread) => (
          <li key={thread.threadId}>
            <button
              className="thread"
              data-thread-id={thread.threadId}
              aria-current={thread.threadId === currentId ? 'page' : undefined}
              onClick={() => onOpen(thread.threadId)}
            >
              {thread.title || thread.threadId}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

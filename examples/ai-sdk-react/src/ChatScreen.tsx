import { generateId, type UIMessage } from 'ai';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createChatTransport } from './chat-transport';
import { Conversation } from './Conversation';
import { fetchUiMessages, listThreads, type Session, type ThreadSummary } from './server-api';
import { ThreadList } from './ThreadList';

/** The thread named by `?thread=` in the page's URL. */
function threadIdFromUrl(): string | undefined {
  return new URLSearchParams(location.search).get('thread') ?? undefined;
}

function threadUrl(threadId: string): string {
  return `?thread=${encodeURIComponent(threadId)}`;
}

/** A thread whose history has loaded, ready to hand to `useChat`. */
interface OpenThread {
  threadId: string;
  messages: UIMessage[];
}

/**
 * The signed-in screen: the thread list and the open thread. Opening a thread loads its
 * `UIMessage[]` first, then mounts a fresh {@link Conversation} (keyed by the thread id) with
 * them; one transport, and so one WebSocket, serves every thread of the session.
 */
export function ChatScreen({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const transport = useMemo(() => createChatTransport(session.token), [session.token]);
  useEffect(() => () => transport.close(), [transport]);

  const [threadId, setThreadId] = useState(() => threadIdFromUrl() ?? generateId());
  const [open, setOpen] = useState<OpenThread>();
  const [loadError, setLoadError] = useState<string>();
  const [threads, setThreads] = useState<ThreadSummary[]>([]);

  const refreshThreads = useCallback(() => {
    listThreads(session.token).then(setThreads, () => undefined);
  }, [session.token]);
  useEffect(refreshThreads, [refreshThreads]);

  useEffect(() => {
    let current = true;
    setOpen(undefined);
    setLoadError(undefined);
    fetchUiMessages(session.token, threadId).then(
      (messages) => current && setOpen({ threadId, messages }),
      (error: Error) => current && setLoadError(error.message),
    );
    return () => {
      current = false;
    };
  }, [session.token, threadId]);

  useEffect(() => {
    // A new chat's generated id goes into the URL, so a reload reopens the same thread.
    if (threadIdFromUrl() !== threadId) history.replaceState(null, '', threadUrl(threadId));
  }, [threadId]);

  useEffect(() => {
    const onPopState = () => setThreadId(threadIdFromUrl() ?? generateId());
    addEventListener('popstate', onPopState);
    return () => removeEventListener('popstate', onPopState);
  }, []);

  const openThread = (id: string) => {
    history.pushState(null, '', threadUrl(id));
    setThreadId(id);
  };

  return (
    <div className="screen">
      <header>
        <span>
          Signed in as <strong data-user-id={session.userId}>{session.userId}</strong>
        </span>
        <button onClick={onSignOut}>Sign out</button>
      </header>
      <ThreadList
        threads={threads}
        currentId={threadId}
        onOpen={openThread}
        onNew={() => openThread(generateId())}
      />
      <main>
        {loadError && <p role="alert">Could not open the thread: {loadError}</p>}
        {open?.threadId === threadId && (
          <Conversation
            key={open.threadId}
            threadId={open.threadId}
            initialMessages={open.messages}
            transport={transport}
            onRunEnded={refreshThreads}
          />
        )}
      </main>
    </div>
  );
}

import { useChat } from '@ai-sdk/react';
import type { UIMessage, WebSocketChatTransport } from 'ai';
import { useEffect, useState, type SubmitEvent } from 'react';
import { MessageList } from './MessageList';
import { useResumeAfterDrop } from './resume-after-drop';

/** What {@link Conversation} shows and talks through. */
export interface ConversationProps {
  /** The chat id, which the server takes as the user's thread id. */
  threadId: string;
  /** The thread so far, from `GET /api/v1/threads/:threadId/ui-messages`. */
  initialMessages: UIMessage[];
  transport: WebSocketChatTransport<UIMessage>;
  /** Called when a run's stream ends (the thread list may have changed). */
  onRunEnded: () => void;
}

/**
 * One thread through `useChat`. When it opens, `resumeStream()` picks up the thread's run still
 * in flight (or just ended: the replay replaces the stored answer, whose id is the run id); the
 * composer waits for that, so a new message never races the resume. {@link useResumeAfterDrop}
 * resumes a run whose connection dropped.
 */
export function Conversation({
  threadId,
  initialMessages,
  transport,
  onRunEnded,
}: ConversationProps) {
  const { messages, sendMessage, status, error, stop, resumeStream, clearError } = useChat({
    id: threadId,
    messages: initialMessages,
    transport,
    onFinish: onRunEnded,
  });
  const [resumedOnOpen, setResumedOnOpen] = useState(false);
  useEffect(() => {
    void resumeStream().finally(() => setResumedOnOpen(true));
  }, [resumeStream]);
  // Until the server has answered the first resume: a run found makes the status move on.
  const opening = !resumedOnOpen && status === 'ready';
  const resuming = useResumeAfterDrop({ status, error, resumeStream });
  const [input, setInput] = useState('');
  const busy = opening || status === 'submitted' || status === 'streaming';

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const text = input.trim();
    if (text === '' || busy) return;
    setInput('');
    void sendMessage({ text });
  };

  return (
    <section className="conversation" data-thread-id={threadId}>
      <MessageList messages={messages} />
      <p className="status" data-chat-status={status} data-opening={opening}>
        {opening ? 'opening…' : resuming ? 'Connection lost, resuming…' : status}
      </p>
      {error && !resuming && (
        <p className="error" role="alert">
          {error.message} <button onClick={clearError}>Dismiss</button>
        </p>
      )}
      <form className="composer" onSubmit={submit}>
        <input
          name="message"
          aria-label="Message"
          placeholder='Try "what is 12*(3+4)?" or "slow 5"'
          value={input}
          onChange={(event) => setInput(event.target.value)}
          autoComplete="off"
          disabled={opening}
        />
        {busy && !opening ? (
          <button type="button" onClick={() => void stop()}>
            Stop
          </button>
        ) : (
          <button type="submit" disabled={opening}>
            Send
          </button>
        )}
      </form>
    </section>
  );
}

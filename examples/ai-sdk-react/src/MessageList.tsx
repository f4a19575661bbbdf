import type { UIMessage } from 'ai';
import { MessagePart } from './MessagePart';

/** The conversation: each message with its parts in order. */
export function MessageList({ messages }: { messages: UIMessage[] }) {
  return (
    <ol className="messages">
      {messages.map((message) => (
        <li
          key={message.id}
          className={`message ${message.role}`}
          data-role={message.role}
          data-message-id={message.id}
        >
          {message.parts.map((part, index) => (
            <MessagePart key={index} part={part} />
          ))}
        </li>
      ))}
    </ol>
  );
}

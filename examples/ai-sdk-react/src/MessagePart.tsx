import { getToolName, isToolUIPart, type UIMessage } from 'ai';

type Part = UIMessage['parts'][number];
type ToolPart = Extract<Part, { toolCallId: string }>;

/**
 * One part of a message: reasoning, a tool call with its input and output, or text. Step
 * boundaries and part types this server never sends render nothing.
 */
export function MessagePart({ part }: { part: Part }) {
  if (part.type === 'text') {
    return (
      <p className="part text" data-part="text">
        {part.text}
      </p>
    );
  }
  if (part.type === 'reasoning') {
    return (
      <p className="part reasoning" data-part="reasoning">
        {part.text}
      </p>
    );
  }
  if (isToolUIPart(part)) return <ToolCall part={part} />;
  return null;
}

function ToolCall({ part }: { part: ToolPart }) {
  return (
    <div className="part tool" data-part="tool" data-state={part.state}>
      <div className="tool-head">
        <span className="tool-name">{getToolName(part)}</span>{' '}
        <span className="tool-state">{part.state}</span>
      </div>
      {part.input !== undefined && (
        <pre className="tool-input" data-field="input">
          {JSON.stringify(part.input)}
        </pre>
      )}
      {part.state === 'output-available' && (
        <pre className="tool-output" data-field="output">
          {JSON.stringify(part.output)}
        </pre>
      )}
      {part.state === 'output-error' && (
        <pre className="tool-error" data-field="error">
          {part.errorText}
        </pre>
      )}
    </div>
  );
}

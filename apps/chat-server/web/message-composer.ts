/**
 * The message box: Enter sends, Shift+Enter breaks the line; an agent picker when the server has
 * more than one agent; the reason when a message is refused.
 */
import { el } from './element-builder.js';
import type { AgentInfo } from './server-api.js';

/** The composer and what fills it. */
export interface MessageComposer {
  readonly element: HTMLElement;
  /** Offers these agents (the picker shows only when there are several). */
  setAgents(agents: readonly AgentInfo[]): void;
  /** Puts `text` in the box and focuses it. */
  fill(text: string): void;
  focus(): void;
}

/**
 * @param onSend sends a message; a rejection puts the text back and shows its message
 */
export function createMessageComposer(
  onSend: (text: string, agent: string | undefined) => Promise<void>,
): MessageComposer {
  const input = el('textarea', {
    className: 'composer-input',
    testId: 'message-input',
    attrs: {
      rows: '2',
      placeholder: 'Message the assistant… (Enter to send, Shift+Enter for a new line)',
      'aria-label': 'Message',
      maxlength: '16384',
    },
  });
  const agents = el('select', {
    className: 'composer-agent',
    testId: 'agent-select',
    attrs: { 'aria-label': 'Agent' },
  });
  agents.hidden = true;
  const send = el('button', {
    className: 'button button--primary',
    testId: 'send-button',
    text: 'Send',
    attrs: { type: 'submit' },
  });
  const error = el('p', {
    className: 'composer-error',
    testId: 'composer-error',
    attrs: { role: 'alert' },
  });
  error.hidden = true;
  const form = el('form', { className: 'composer', testId: 'composer' }, [
    error,
    el('div', { className: 'composer-row' }, [
      input,
      el('div', { className: 'composer-actions' }, [agents, send]),
    ]),
  ]);

  const submit = (): void => {
    const text = input.value.trim();
    if (text === '' || send.disabled) return;
    error.hidden = true;
    send.disabled = true;
    input.value = '';
    onSend(text, agents.hidden ? undefined : agents.value)
      .catch((failure: unknown) => {
        if (input.value === '') input.value = text;
        error.textContent = failure instanceof Error ? failure.message : String(failure);
        error.hidden = false;
      })
      .finally(() => {
        send.disabled = false;
        input.focus();
      });
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });

  return {
    element: form,
    setAgents(list) {
      agents.replaceChildren(
        ...list.map((agent) =>
          el('option', {
            text: agent.name,
            attrs: { value: agent.name, title: agent.description },
          }),
        ),
      );
      agents.hidden = list.length < 2;
    },
    fill(text) {
      input.value = text;
      input.focus();
    },
    focus() {
      input.focus();
    },
  };
}

/** The development login: a user id becomes a token from `POST /api/v1/dev/login`. */
import { el } from './element-builder.js';
import { devLogin } from './server-api.js';
import type { Session } from './session-store.js';

/**
 * The login screen.
 *
 * @param onLogin called with the new session
 */
export function createLoginView(onLogin: (session: Session) => void): HTMLElement {
  const input = el('input', {
    className: 'login-input',
    testId: 'login-user-id',
    attrs: {
      type: 'text',
      name: 'userId',
      autocomplete: 'username',
      placeholder: 'alice',
      required: '',
      maxlength: '128',
      'aria-label': 'User id',
    },
  });
  const submit = el('button', {
    className: 'button button--primary',
    testId: 'login-submit',
    text: 'Sign in',
    attrs: { type: 'submit' },
  });
  const error = el('p', {
    className: 'login-error',
    testId: 'login-error',
    attrs: { role: 'alert' },
  });
  error.hidden = true;
  const form = el('form', { className: 'login-card', testId: 'login-form' }, [
    el('h1', { text: 'Chat' }),
    el('p', {
      className: 'login-hint',
      text: 'Development login: any user id signs in. Two tabs with the same id share one conversation.',
    }),
    el('label', { className: 'login-label', text: 'User id' }, [input]),
    submit,
    error,
  ]);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const userId = input.value.trim();
    if (userId === '') return;
    submit.disabled = true;
    error.hidden = true;
    devLogin(userId)
      .then(onLogin)
      .catch((failure: unknown) => {
        error.textContent = failure instanceof Error ? failure.message : String(failure);
        error.hidden = false;
        submit.disabled = false;
      });
  });
  queueMicrotask(() => input.focus());
  return el('main', { className: 'login-screen' }, [form]);
}

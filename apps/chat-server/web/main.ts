/** The chat page's entry point: only wiring. The login screen, or the chat when signed in. */
import './styles.css';
import { createChatScreen } from './chat-screen.js';
import { createLoginView } from './login-view.js';
import { clearSession, readSession, saveSession, type Session } from './session-store.js';

const root = document.getElementById('app') ?? document.body;

function showLogin(): void {
  root.replaceChildren(
    createLoginView((session) => {
      saveSession(session);
      showChat(session);
    }),
  );
}

function showChat(session: Session): void {
  const screen = createChatScreen(session, () => {
    clearSession();
    showLogin();
  });
  root.replaceChildren(screen.element);
  window.addEventListener('pagehide', () => screen.dispose(), { once: true });
}

const session = readSession();
if (session) showChat(session);
else showLogin();

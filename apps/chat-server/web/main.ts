/**
 * The chat page's entry point: only wiring. The login screen, or the chat when signed in; the
 * session is shared by every tab of the browser, so signing in or out in one tab does it in all.
 */
import './styles.css';
import { createChatScreen, type ChatScreen } from './chat-screen.js';
import { createLoginView } from './login-view.js';
import {
  clearSession,
  readSession,
  saveSession,
  watchSession,
  type Session,
} from './session-store.js';

const root = document.getElementById('app') ?? document.body;
let screen: ChatScreen | undefined;

function showLogin(): void {
  screen?.dispose();
  screen = undefined;
  root.replaceChildren(
    createLoginView((session) => {
      saveSession(session);
      showChat(session);
    }),
  );
}

function showChat(session: Session): void {
  screen?.dispose();
  screen = createChatScreen(session, () => {
    clearSession();
    showLogin();
  });
  root.replaceChildren(screen.element);
}

// Another tab signed out, signed in (maybe as someone else) or renewed the token.
watchSession((session) => {
  if (!session) {
    if (screen) showLogin();
  } else if (screen?.userId === session.userId) screen.adopt(session);
  else showChat(session);
});
window.addEventListener('pagehide', () => screen?.dispose(), { once: true });

const session = readSession();
if (session) showChat(session);
else showLogin();

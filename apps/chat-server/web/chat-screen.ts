/**
 * The signed-in screen: the sidebar (connection, threads, who is signed in) and the conversation
 * with its composer, all fed by one client of the chat socket.
 */
import { createChatClient } from '@app/ws-client';
import { createConnectionIndicator } from './connection-indicator.js';
import { ConversationStore } from './conversation-store.js';
import { createConversationView } from './conversation-view.js';
import { el } from './element-builder.js';
import { createMessageComposer } from './message-composer.js';
import { listAgents, loadThreadMessages, loadThreads } from './server-api.js';
import { saveSession, type Session } from './session-store.js';
import { createThreadList } from './thread-list.js';
import { createTokenProvider } from './token-provider.js';

/** The screen; `dispose` closes its connection. */
export interface ChatScreen {
  readonly element: HTMLElement;
  /** Who is signed in. */
  readonly userId: string;
  /** Another tab stored a session of the same user (a renewed token): use it if fresher. */
  adopt(session: Session): void;
  dispose(): void;
}

/**
 * @param session the signed-in user
 * @param onSignOut called when the user signs out (after the connection closed)
 */
export function createChatScreen(session: Session, onSignOut: () => void): ChatScreen {
  const tokens = createTokenProvider(session, saveSession);
  // A new client holds no stream position: when runs are in flight it catches up on them from
  // their first event (a second tab, another device, a reload), then continues live.
  const client = createChatClient({ url: '/ws', getToken: tokens.getToken });
  const store = new ConversationStore();
  const indicator = createConnectionIndicator();
  const token = (): string => tokens.session.token;

  const loadHistory = async (threadId: string): Promise<void> => {
    const messages = await loadThreadMessages(token(), threadId);
    if (messages) store.importMessages(threadId, messages);
  };
  const composer = createMessageComposer(async (text, agent) => {
    const threadId = threads.selected;
    const result = await client.chat(text, {
      ...(threadId === undefined ? {} : { threadId }),
      ...(agent === undefined ? {} : { agent }),
    });
    // Still on "new conversation": follow the thread the server made for this message.
    if (threads.selected === undefined) threads.select(result.threadId);
  });
  const conversation = createConversationView(
    store,
    (text) => composer.fill(text),
    (runId) => client.cancel(runId),
  );
  const threads = createThreadList(store, (threadId) => {
    conversation.show(threadId);
    if (threadId !== undefined && store.thread(threadId)?.loaded === false) {
      void loadHistory(threadId);
    }
    composer.focus();
  });

  // Between `catch_up` and its `resumed`, events replay the runs in flight from their start.
  let catchingUp = false;
  client.on('catch_up', () => {
    catchingUp = true;
  });
  client.on('event', (event) => store.apply(event, { catchingUp }));
  client.on('state', (change) => {
    if (change.state !== 'open') catchingUp = false;
    indicator.onState(change);
  });
  client.on('resumed', (frame) => {
    // The end of a catch-up is no reconnect: the badge stays "connected".
    if (catchingUp) catchingUp = false;
    else indicator.onResumed(frame);
  });
  client.on('reset', () => {
    conversation.notice(
      'Some events were lost while the connection was down; what is shown may be incomplete.',
    );
    void loadThreads(token()).then((list) => list && store.importThreads(list));
    if (threads.selected !== undefined) void loadHistory(threads.selected);
  });
  client.on('error', (error) => console.warn('chat connection:', error.code, error.message));
  // Another tab started a conversation while this one shows none: show it here too.
  store.subscribe((change) => {
    if (change.type === 'thread_items' && threads.selected === undefined) {
      threads.select(change.threadId);
    }
  });
  void loadThreads(token()).then((list) => list && store.importThreads(list));
  void listAgents().then((agents) => composer.setAgents(agents));

  const signOut = el('button', {
    className: 'button button--ghost button--small',
    testId: 'sign-out',
    text: 'Sign out',
    attrs: { type: 'button' },
  });
  signOut.addEventListener('click', () => {
    client.close();
    onSignOut();
  });

  const element = el('div', { className: 'chat-screen', testId: 'chat-screen' }, [
    el('aside', { className: 'sidebar' }, [
      el('div', { className: 'sidebar-header' }, [
        el('span', { className: 'brand', text: 'Chat' }),
        indicator.element,
      ]),
      threads.element,
      el('footer', { className: 'sidebar-footer' }, [
        el('span', { className: 'signed-in' }, [
          'Signed in as ',
          el('strong', { testId: 'user-id', text: session.userId }),
        ]),
        signOut,
      ]),
    ]),
    el('main', { className: 'main-column' }, [conversation.element, composer.element]),
  ]);
  queueMicrotask(() => composer.focus());
  return {
    element,
    userId: session.userId,
    adopt: (stored) => tokens.adopt(stored),
    dispose: () => client.close(),
  };
}

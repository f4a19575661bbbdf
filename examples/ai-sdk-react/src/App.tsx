import { useState } from 'react';
import { ChatScreen } from './ChatScreen';
import { LoginForm } from './LoginForm';
import type { Session } from './server-api';
import { loadSession, saveSession } from './session-storage';

/** The login form until there is a session, then the chat. */
export function App() {
  const [session, setSession] = useState(loadSession);
  const change = (next: Session | undefined) => {
    saveSession(next);
    setSession(next);
  };
  return session ? (
    <ChatScreen session={session} onSignOut={() => change(undefined)} />
  ) : (
    <LoginForm onSession={change} />
  );
}

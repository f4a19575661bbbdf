import { useState, type SubmitEvent } from 'react';
import { devLogin, type Session } from './server-api';

/** Signs in through the server's dev login (`POST /api/v1/dev/login`). */
export function LoginForm({ onSession }: { onSession: (session: Session) => void }) {
  const [userId, setUserId] = useState('');
  const [error, setError] = useState<string>();

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      onSession(await devLogin(userId.trim()));
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  return (
    <form className="login" onSubmit={(event) => void submit(event)}>
      <label>
        User id{' '}
        <input
          name="userId"
          value={userId}
          onChange={(event) => setUserId(event.target.value)}
          required
        />
      </label>
      <button type="submit">Sign in</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

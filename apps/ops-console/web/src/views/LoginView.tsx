import { useState, type FormEvent } from 'react';
import { exchangeClientCredentials } from '../api';

/** A bearer token pasted as is, or a client's id and secret exchanged at auth's /oauth/token. */
export function LoginView({ onToken }: { onToken: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      onToken(token.trim() || (await exchangeClientCredentials(clientId.trim(), clientSecret)));
    } catch (failure) {
      setError(String(failure));
    }
  };
  return (
    <section className="login">
      <h2>fapiao ops console</h2>
      <form onSubmit={(event) => void submit(event)} style={{ display: 'grid', gap: '0.6rem' }}>
        <label>
          Bearer token
          <textarea
            data-testid="token"
            rows={4}
            style={{ width: '100%' }}
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
        </label>
        <div>or a client (scopes ops:read, ops:write):</div>
        <input
          data-testid="client-id"
          placeholder="client id"
          value={clientId}
          onChange={(e) => setClientId(e.target.value)}
        />
        <input
          data-testid="client-secret"
          type="password"
          placeholder="client secret"
          value={clientSecret}
          onChange={(e) => setClientSecret(e.target.value)}
        />
        <button className="primary" type="submit" data-testid="login">
          Log in
        </button>
        {error && <div className="error">{error}</div>}
      </form>
    </section>
  );
}

import { useState } from 'preact/hooks';
import { saveToken, tokenNeeded } from '../session.ts';
import { useStore } from '../store.ts';

/** Asked for when the server answers UNAUTHENTICATED; the token is kept for this tab's session. */
export function TokenPrompt() {
  const reason = useStore(tokenNeeded);
  const [value, setValue] = useState('');
  if (reason === null) return null;
  return (
    <div class="overlay">
      <form
        class="prompt"
        role="dialog"
        aria-modal="true"
        aria-labelledby="token-heading"
        onSubmit={(event) => {
          event.preventDefault();
          if (value.trim()) saveToken(value.trim());
        }}
      >
        <h2 id="token-heading">This Berth needs a token</h2>
        <p id="token-reason">{reason}</p>
        <label for="token">Bearer token (JWT)</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          autofocus
          aria-describedby="token-reason"
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
        <button type="submit">Use token</button>
      </form>
    </div>
  );
}

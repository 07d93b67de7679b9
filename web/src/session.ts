import { createStore } from './store.ts';

/**
 * The bearer token, kept for the browser tab's session (sessionStorage): a reload keeps it, a new
 * tab or a closed browser asks again. `tokenNeeded` opens the prompt when the server answers
 * UNAUTHENTICATED (HTTP 401) or closes the WebSocket because a token expired.
 */
const KEY = 'berth.token';

export const token = createStore<string | null>(sessionStorage.getItem(KEY));
export const tokenNeeded = createStore<string | null>(null);

export function saveToken(value: string): void {
  sessionStorage.setItem(KEY, value);
  tokenNeeded.set(null);
  token.set(value);
}

export function authorization(): Record<string, string> {
  const value = token.get();
  return value ? { authorization: `Bearer ${value}` } : {};
}

import type { IncomingHttpHeaders } from 'node:http';
import type { CORSOptions } from 'graphql-yoga';
import { StartupError } from './startup-error.ts';

/**
 * Which web pages may reach Berth through a visitor's browser. A browser lets any page it shows
 * send requests to http://127.0.0.1:4000, and open WebSockets to it (WebSockets are outside CORS);
 * without authentication those would have a developer's whole Berth. So:
 *
 * - A request that carries an Origin is served only when that origin is the server's own (the
 *   GraphiQL page) or is listed in BERTH_CORS_ORIGINS; others get PERMISSION_DENIED before
 *   anything runs, over HTTP and at the WebSocket handshake alike. Programs that are not browsers
 *   (the CLI, curl, graphql-ws in Node) send no Origin and are not affected.
 * - CORS headers are sent only to listed origins. Yoga's default would reflect every origin.
 * - Without authentication (and without BERTH_INSECURE), the Host a request names must be a
 *   loopback one: a page whose own name an attacker re-points at 127.0.0.1 (DNS rebinding) is
 *   same-origin in the browser's eyes, and only its Host header tells it apart.
 */
export interface OriginPolicy {
  readonly cors: CORSOptions;
  /** Why a request with these headers is refused, or null when it may proceed. */
  refusal(headers: IncomingHttpHeaders): string | null;
}

export interface OriginOptions {
  /** BERTH_CORS_ORIGINS: '*' or origins such as https://ui.example.com. */
  readonly allowed: '*' | readonly string[];
  /** Only loopback Host names are answered (authentication off, BERTH_INSECURE unset). */
  readonly loopbackOnly: boolean;
}

/** Headers a listed origin's page may send: the ones docs/api.md names, and Yoga's CSRF header. */
const ALLOWED_HEADERS = ['content-type', 'accept', 'authorization', 'berth-namespace', 'x-request-id', 'x-graphql-yoga-csrf'];

export function originPolicy({ allowed, loopbackOnly }: OriginOptions): OriginPolicy {
  const listed = (origin: string) => allowed === '*' || allowed.includes(origin);
  return {
    cors:
      allowed === '*' || allowed.length > 0
        ? { origin: allowed === '*' ? '*' : [...allowed], methods: ['GET', 'POST'], allowedHeaders: ALLOWED_HEADERS, credentials: false }
        : false,
    refusal(headers) {
      const host = headers.host ?? '';
      if (loopbackOnly && !isLoopbackHost(host)) {
        return `Host "${host}" is not a loopback name; without authentication Berth answers only requests addressed to loopback`;
      }
      const origin = headers.origin;
      if (origin === undefined || listed(origin) || sameOrigin(origin, host)) return null;
      return `requests from web pages at ${origin} are not allowed (BERTH_CORS_ORIGINS)`;
    },
  };
}

function sameOrigin(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false; // "null" (a sandboxed frame, a file) or garbage: nobody's own origin
  }
}

function isLoopbackHost(host: string): boolean {
  let name: string;
  try {
    name = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  return name === 'localhost' || name.endsWith('.localhost') || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** BERTH_CORS_ORIGINS: unset or empty lists none; `*` allows every origin; else comma-separated origins. */
export function parseAllowedOrigins(text: string | undefined): '*' | readonly string[] {
  const items = (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.includes('*')) return '*';
  return items.map((item) => {
    let url: URL | undefined;
    try {
      url = new URL(item);
    } catch {
      // reported below
    }
    if (!url || url.origin === 'null' || url.origin !== item.replace(/\/$/, '').toLowerCase()) {
      throw new StartupError(`BERTH_CORS_ORIGINS must list origins such as https://ui.example.com (scheme, host, optional port), got "${item}"`);
    }
    return url.origin;
  });
}

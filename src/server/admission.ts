import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long a refused client is asked to wait before trying again (Retry-After). */
const RETRY_AFTER_SECONDS = 1;

export interface Admission {
  /** Requests admitted and not yet answered. */
  readonly inFlight: number;
  /**
   * Admits a GraphQL request, or answers it at once with RESOURCE_EXHAUSTED (HTTP 503 and
   * Retry-After) and returns false.
   */
  admit(req: IncomingMessage, res: ServerResponse): boolean;
}

/**
 * Admission control for GraphQL over HTTP. Under overload (hundreds of clients, a pool of a few
 * connections) an unbounded server queues every request on the pool: each one waits, holding its
 * body and its socket, until its client gives up, and answers come too late to be of use. Instead
 * at most `maxInFlight` requests are admitted at a time, enough to keep every pooled connection
 * busy with a short queue behind it, and the rest are refused before their body is read: cheap,
 * immediate and with a code, so clients back off, memory stays bounded, and the probes and admitted
 * requests keep answering. Event streams (SSE) are long-lived and mostly idle, so they are not
 * counted here; subscriptions have limits of their own.
 */
export function admissionControl(maxInFlight: number): Admission {
  let inFlight = 0;
  // Built once: under overload most requests get exactly this answer, hundreds in one loop turn.
  const message = `the server is at its limit of ${maxInFlight} requests in progress (BERTH_MAX_REQUESTS_IN_FLIGHT); retry after ${RETRY_AFTER_SECONDS} s`;
  const refusal = Buffer.from(JSON.stringify({ errors: [{ message, extensions: { code: 'RESOURCE_EXHAUSTED' } }] }));
  const refusalHeaders = { 'content-type': 'application/json', 'content-length': String(refusal.length), 'retry-after': String(RETRY_AFTER_SECONDS) };
  return {
    get inFlight() {
      return inFlight;
    },
    admit(req, res) {
      if ((req.headers.accept ?? '').includes('text/event-stream')) return true;
      if (inFlight >= maxInFlight) {
        res.writeHead(503, refusalHeaders).end(refusal);
        return false;
      }
      inFlight++;
      res.once('close', () => inFlight--);
      return true;
    },
  };
}

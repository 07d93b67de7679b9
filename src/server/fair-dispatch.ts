/**
 * Runs admitted requests in slices of the event loop, so that a burst cannot hold it.
 *
 * Node handles every socket that is ready in one turn of its loop: when 500 clients connect at
 * once, the turn that reads their requests would also run each request's GraphQL parse,
 * validation and first resolver steps, one after another, before it polls again. A /healthz probe
 * that arrives meanwhile waits for all of them (measured: one turn of 130 ms). Instead a request
 * is queued here when it is admitted, and the queue is worked for at most `sliceMs`, then again
 * on the next turn (setImmediate), after the loop has polled. The probes, and the sockets of
 * requests already running, get their turn between slices. A request whose client went away
 * while it was queued is dropped. Written by hand: it is a queue and a clock, nothing a library
 * would add to.
 */
export interface FairDispatch {
  /** Queues `run`: it runs after this turn's poll, in the first slice with room. `abandoned` is asked first. */
  dispatch(run: () => void, abandoned: () => boolean): void;
}

export function fairDispatch(sliceMs: number): FairDispatch {
  // Admission keeps the queue short (BERTH_MAX_REQUESTS_IN_FLIGHT), so shift() is cheap here.
  const queue: { run: () => void; abandoned: () => boolean }[] = [];
  let scheduled = false;
  const work = () => {
    scheduled = false;
    const end = performance.now() + sliceMs;
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (!next.abandoned()) next.run();
      if (performance.now() >= end) break;
    }
    if (queue.length > 0) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(work);
  };
  return {
    dispatch(run, abandoned) {
      queue.push({ run, abandoned });
      schedule();
    },
  };
}

import { createStore } from './store.ts';

/**
 * The view lives in the URL's query (`?namespace=a&filter=…&container=web`), so a link opens the
 * same view and the browser's back button walks through choices.
 */
export interface View {
  namespace: string;
  filter: string;
  container: string | null;
}

/** Berth's default (BERTH_DEFAULT_NAMESPACE) unless configured otherwise. */
export const DEFAULT_NAMESPACE = 'default';

function read(): View {
  const params = new URLSearchParams(location.search);
  return { namespace: params.get('namespace') || DEFAULT_NAMESPACE, filter: params.get('filter') ?? '', container: params.get('container') };
}

export const view = createStore<View>(read());
addEventListener('popstate', () => view.set(read()));

export function navigate(change: Partial<View>): void {
  const next = { ...view.get(), ...change };
  const params = new URLSearchParams();
  params.set('namespace', next.namespace);
  if (next.filter) params.set('filter', next.filter);
  if (next.container) params.set('container', next.container);
  history.pushState(null, '', `?${params}`);
  view.set(next);
}

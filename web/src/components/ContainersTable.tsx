import { useQuery } from '@urql/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { CONTAINERS } from '../documents.ts';
import { errorCode, errorMessage } from '../errors.ts';
import { formatTime } from '../format.ts';
import { containerListChanges, cursorAfter } from '../live-cache.ts';
import { navigate } from '../location.ts';
import { useStore } from '../store.ts';
import type { ContainersData } from '../types.ts';
import { ErrorText } from './ErrorText.tsx';
import { LabelChips } from './LabelChips.tsx';

const PAGE_SIZE = 20;

interface Props {
  namespace: string;
  filter: string;
  selected: string | null;
  /** Called with each list's watchCursor (null when the list failed). */
  onSnapshot(cursor: string | null): void;
}

/** A page of the namespace's containers, filtered with containerd's syntax, paged by keyset cursors. */
export function ContainersTable({ namespace, filter, selected, onSnapshot }: Props) {
  // A page belongs to one namespace and filter: another list starts at its first page.
  const list = `${namespace}\n${filter}`;
  const [paging, setPaging] = useState<{ list: string; after?: string; before?: string }>({ list });
  const page = paging.list === list ? paging : { list };
  const setPage = (cursor: { after?: string; before?: string }) => setPaging({ list, ...cursor });
  const variables = {
    namespace,
    filters: filter ? [filter] : null,
    ...(page.before ? { last: PAGE_SIZE, before: page.before } : { first: PAGE_SIZE, after: page.after ?? null }),
  };
  const [result, reexecute] = useQuery<ContainersData>({ query: CONTAINERS, variables });
  const change = useStore(containerListChanges).get(namespace);
  // A bad filter keeps the last good table of this namespace on screen, its error under the box.
  const lastGood = useRef<{ namespace: string; data: ContainersData } | null>(null);
  const current = result.data && result.operation?.variables?.namespace === namespace ? result.data : null;
  if (current) lastGood.current = { namespace, data: current };
  const shown = current ?? (lastGood.current?.namespace === namespace ? lastGood.current.data : null);
  const code = errorCode(result.error);
  useEffect(() => {
    if (current) onSnapshot(current.containers.watchCursor);
    else if (result.error) onSnapshot(null);
  }, [current?.containers.watchCursor, result.error]);
  const watchCursor = current?.containers.watchCursor;
  useEffect(() => {
    const latest = filter ? change?.any : change?.membership;
    const stale = watchCursor && latest && cursorAfter(latest, watchCursor);
    if (stale && !result.fetching) reexecute({ requestPolicy: 'network-only' });
  }, [watchCursor, change, result.fetching]);

  const connection = shown?.containers;
  return (
    <div class="table-area">
      <FilterBox filter={filter} error={code === 'INVALID_ARGUMENT' && filter ? errorMessage(result.error) : null} />
      {code === 'PERMISSION_DENIED' && (
        <p class="error" role="alert">
          Not allowed in namespace “{namespace}”: {errorMessage(result.error)}
        </p>
      )}
      {result.error && code !== 'PERMISSION_DENIED' && code !== 'INVALID_ARGUMENT' && code !== 'UNAUTHENTICATED' && (
        <p class="error" role="alert">
          {errorMessage(result.error)}
        </p>
      )}
      <table class="containers-table" aria-label={`Containers in ${namespace}`} aria-busy={result.fetching}>
        <thead>
          <tr>
            <th scope="col">ID</th>
            <th scope="col">Image</th>
            <th scope="col">Runtime</th>
            <th scope="col">Labels</th>
            <th scope="col">Updated</th>
            <th scope="col">Revision</th>
          </tr>
        </thead>
        <tbody onKeyDown={moveBetweenRows}>
          {connection?.nodes.map((c) => (
            <tr
              key={c.id}
              data-id={c.containerId}
              aria-current={c.containerId === selected ? 'true' : undefined}
              class={c.containerId === selected ? 'selected' : undefined}
            >
              <td>
                <button type="button" class="link" data-row onClick={() => navigate({ container: c.containerId })}>
                  {c.containerId}
                </button>
              </td>
              <td class="image">{c.image}</td>
              <td>{c.runtime.name}</td>
              <td>
                <LabelChips labels={c.labels} />
              </td>
              <td>
                <time dateTime={c.updatedAt}>{formatTime(c.updatedAt)}</time>
              </td>
              <td class="number">{c.revision}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {connection && connection.nodes.length === 0 && <p class="empty">No containers{filter ? ' match this filter' : ''}.</p>}
      {/* Berth, as Relay allows, reports only the direction of travel: walking forward,
          hasPreviousPage is false, so the page we came from is remembered here. */}
      <nav class="pager" aria-label="Pages">
        <button
          type="button"
          disabled={!(connection?.pageInfo.hasPreviousPage || page.after)}
          onClick={() => setPage({ before: connection?.pageInfo.startCursor ?? undefined })}
        >
          ← Previous
        </button>
        <span class="count" data-total={connection?.totalCount}>
          {connection ? `${connection.totalCount} container${connection.totalCount === 1 ? '' : 's'}` : 'Loading…'}
        </span>
        <button
          type="button"
          disabled={!(connection?.pageInfo.hasNextPage || page.before)}
          onClick={() => setPage({ after: connection?.pageInfo.endCursor ?? undefined })}
        >
          Next →
        </button>
      </nav>
    </div>
  );
}

function FilterBox({ filter, error }: { filter: string; error: string | null }) {
  const [text, setText] = useState(filter);
  useEffect(() => setText(filter), [filter]);
  return (
    <form
      class="filter"
      onSubmit={(event) => {
        event.preventDefault();
        navigate({ filter: text.trim() });
      }}
    >
      <label for="filter">Filter</label>
      <input
        id="filter"
        value={text}
        placeholder='labels.env==prod,image~="^docker.io/"'
        spellcheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby="filter-help filter-error"
        onInput={(e) => setText(e.currentTarget.value)}
      />
      <button type="submit">Apply</button>
      <p id="filter-help" class="hint">
        containerd's filter syntax: <code>field==value</code>, <code>!=</code>, <code>~=</code> (regexp), <code>,</code> for and.
      </p>
      <ErrorText id="filter-error" message={error} />
    </form>
  );
}

/** Arrow keys move between rows, as in a grid; Tab still leaves the table. */
function moveBetweenRows(event: KeyboardEvent) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const rows = [...(event.currentTarget as HTMLElement).querySelectorAll<HTMLButtonElement>('button[data-row]')];
  const at = rows.indexOf(document.activeElement as HTMLButtonElement);
  const next = rows[at + (event.key === 'ArrowDown' ? 1 : -1)];
  if (next) {
    event.preventDefault();
    next.focus();
  }
}

import type { Command } from 'commander';
import { type Connection, request } from './client.ts';
import { CONTAINER_VIEW_FIELDS, type ContainerView, containerInfo, containerSpec } from './container-info.ts';
import { defaultSpec, SPEC_TYPE_URL, specFromFile } from './container-spec.ts';
import { eachReportingFailures, requiredRef, ServerError, usageError } from './errors.ts';
import { type Label, labelArgs, labelPairs } from './labels.ts';
import { connectionOf, withConnectionFlags } from './options.ts';
import { listAll } from './pages.ts';
import { CONTAINER_TABLE, formatTable } from './tabwriter.ts';

/** `berth containers|container|c`: ctr's container verbs that make sense without images and tasks. */

const DEFAULT_RUNTIME = 'io.containerd.runc.v2';

const CREATE = `mutation($c: ContainerInput!) { createContainer(input: { container: $c }) { container { id } } }`;
const DELETE = `mutation($id: String!) { deleteContainer(input: { containerId: $id }) { containerId } }`;
const INFO = `query($id: String!) { container(containerId: $id) { ${CONTAINER_VIEW_FIELDS} } }`;
const LIST = `query($filters: [String!], $first: Int, $after: String) {
  containers(filters: $filters, first: $first, after: $after) { nodes { containerId image runtime { name } } pageInfo { hasNextPage endCursor } } }`;
const LABELS = `query($id: String!) { container(containerId: $id) { labels { key value } } }`;
const SET_LABELS = `mutation($id: String!, $labels: [LabelInput!]!) {
  setContainerLabels(input: { containerId: $id, labels: $labels }) { container { labels { key value } } } }`;
const CHECKPOINT = `mutation($id: String!, $ref: String!) { checkpointContainer(input: { containerId: $id, ref: $ref }) { checkpoint { ref } } }`;
const RESTORE = `mutation($id: String!, $ref: String!) { restoreContainer(input: { containerId: $id, ref: $ref }) { container { id } } }`;

const repeatable = (value: string, previous: string[] = []) => [...previous, value];

/** Added under the program with .command(), so the group inherits its exit and output settings. */
export function addContainersCommand(program: Command): void {
  const group = withConnectionFlags(program.command('containers').aliases(['container', 'c']).description('manage containers'));

  withConnectionFlags(group.command('create'))
    .description('create a container; with --config, only ID is given and the spec comes from the file')
    .usage('[flags] IMAGE ID [COMMAND] [ARG...]')
    .argument('[IMAGE ID COMMAND ARG...]')
    .option('--runtime <name>', 'runtime name', DEFAULT_RUNTIME)
    .option('--snapshotter <name>', 'snapshotter name; the snapshot key is then the container id')
    .option('--label <key=value>', 'a label, also copied into the spec annotations (repeatable)', repeatable)
    .option('-c, --config <file>', 'path to an OCI runtime spec file, used instead of the default spec')
    .option('--env <KEY=value>', 'an environment variable of the default spec (repeatable)', repeatable)
    .option('--cwd <dir>', 'working directory of the default spec')
    .option('--sandbox <id>', 'the sandbox the container belongs to')
    // As ctr (SkipArgReorder): flags end at IMAGE, so COMMAND keeps flags of its own (`sh -c …`).
    .passThroughOptions()
    .action((args: string[], options: CreateOptions, command: Command) => create(connectionOf(command), args, options));

  withConnectionFlags(group.command('delete'))
    .aliases(['del', 'remove', 'rm'])
    .description('delete one or more containers')
    .argument('[ID...]')
    .action(async (ids: string[], _options: unknown, command: Command) => {
      if (ids.length === 0) throw usageError('must specify at least one container to delete');
      const connection = connectionOf(command);
      await eachReportingFailures(ids, (id) => request(connection, DELETE, { id }));
    });

  withConnectionFlags(group.command('info'))
    .description('print a container as JSON')
    .argument('[ID]')
    .option('--spec', 'print only the spec')
    .action(async (id: string | undefined, options: { spec?: boolean }, command: Command) => {
      const container = await load<ContainerView>(connectionOf(command), INFO, id);
      process.stdout.write(options.spec ? containerSpec(container) : containerInfo(container));
    });

  withConnectionFlags(group.command('list'))
    .alias('ls')
    .description('list containers matching ANY of the filters')
    .argument('[FILTER...]')
    .option('-q, --quiet', 'print only the container ids')
    .action(async (filters: string[], options: { quiet?: boolean }, command: Command) => {
      const containers = await listAll<{ containerId: string; image: string; runtime: { name: string } }>(connectionOf(command), LIST, 'containers', filters);
      if (options.quiet) return void process.stdout.write(containers.map((c) => c.containerId + '\n').join(''));
      const rows = containers.map((c) => [c.containerId, c.image === '' ? '-' : c.image, c.runtime.name]);
      process.stdout.write(formatTable([['CONTAINER', 'IMAGE', 'RUNTIME'], ...rows], CONTAINER_TABLE));
    });

  withConnectionFlags(group.command('label'))
    .description('set (k=v), clear (k=) or, with no pairs, show the labels of a container; prints the resulting labels')
    .argument('[ID]')
    .argument('[KEY=VALUE...]')
    .action(async (id: string | undefined, args: string[], _options: unknown, command: Command) => {
      const connection = connectionOf(command);
      // Deviation (docs/behaviour.md §8): with no pairs ctr attempts a full replace and fails; berth shows the labels.
      const labels =
        args.length === 0 ? (await load<{ labels: Label[] }>(connection, LABELS, id)).labels : await setLabels(connection, required(id), labelArgs(args));
      process.stdout.write(labelPairs(labels) + '\n');
    });

  withConnectionFlags(group.command('checkpoint'))
    .description('store an immutable checkpoint REF of a container')
    .argument('[ID]')
    .argument('[REF]')
    .action(async (id: string | undefined, ref: string | undefined, _options: unknown, command: Command) => {
      await request(connectionOf(command), CHECKPOINT, { id: required(id), ref: requiredRef(ref) });
    });

  withConnectionFlags(group.command('restore'))
    .description('create a new container ID from checkpoint REF')
    .argument('[ID]')
    .argument('[REF]')
    .action(async (id: string | undefined, ref: string | undefined, _options: unknown, command: Command) => {
      await request(connectionOf(command), RESTORE, { id: required(id), ref: requiredRef(ref) });
    });
}

interface CreateOptions {
  readonly runtime: string;
  readonly snapshotter?: string;
  readonly label?: string[];
  readonly config?: string;
  readonly env?: string[];
  readonly cwd?: string;
  readonly sandbox?: string;
}

/** ctr's `containers create` (run.NewContainer), at the metadata level; prints nothing. */
async function create(connection: Connection, args: readonly string[], options: CreateOptions): Promise<void> {
  const labels = labelArgs(options.label ?? []);
  const fromFile = options.config !== undefined;
  args = withoutOptionsEnd(args, fromFile ? 0 : 2);
  if (fromFile && args.length > 1) throw usageError('with spec config file, only container id should be provided');
  const [image = '', id = '', ...command] = fromFile ? ['', ...args] : args;
  if (!fromFile && image === '') throw usageError('image ref must be provided');
  if (id === '') throw usageError('container id must be provided');
  const spec = fromFile
    ? await specFromFile(options.config!, labels)
    : defaultSpec({ namespace: connection.namespace, id, args: command, env: options.env ?? [], cwd: options.cwd, labels });
  // As ctr: an image brings a snapshot keyed by the container id; a spec file brings neither.
  const snapshotter = fromFile ? '' : (options.snapshotter ?? '');
  await request(connection, CREATE, {
    c: {
      containerId: id,
      image,
      runtime: { name: options.runtime, options: runtimeOptions(options.runtime) },
      spec: { typeUrl: SPEC_TYPE_URL, value: Buffer.from(spec).toString('base64') },
      snapshotter,
      snapshotKey: snapshotter === '' ? '' : id,
      sandbox: options.sandbox ?? '',
      labels,
    },
  });
}

/**
 * `--` ends berth's flags, so `create IMAGE -- -ID` takes `-ID` as the id. Commander keeps a `--`
 * met after the first argument (create passes what follows IMAGE through), so the first one
 * before COMMAND (at index `before` or earlier) is dropped here; a later one is COMMAND's own.
 */
function withoutOptionsEnd(args: readonly string[], before: number): readonly string[] {
  const at = args.indexOf('--');
  return at >= 0 && at <= before ? [...args.slice(0, at), ...args.slice(at + 1)] : args;
}

/** ctr sends runc's options message, empty unless runc flags are given, for the runc runtime only. */
function runtimeOptions(runtime: string): { typeUrl: string; value: string } | null {
  return runtime === DEFAULT_RUNTIME ? { typeUrl: 'containerd.runc.v1.Options', value: '' } : null;
}

/** One update with a `labels.<key>` path per pair (ctr's SetLabels); the resulting full set. */
async function setLabels(connection: Connection, id: string, labels: readonly Label[]): Promise<Label[]> {
  const result = await request<{ setContainerLabels: { container: { labels: Label[] } } }>(connection, SET_LABELS, { id, labels });
  return result.setContainerLabels.container.labels;
}

/** Reads one container; an unknown id fails as ctr's LoadContainer does (docs/behaviour.md §2, Get). */
async function load<T>(connection: Connection, query: string, id: string | undefined): Promise<T> {
  const { container } = await request<{ container: T | null }>(connection, query, { id: required(id) });
  if (!container) throw new ServerError('NOT_FOUND', `container ${JSON.stringify(id)} in namespace ${JSON.stringify(connection.namespace)}: not found`);
  return container;
}

function required(id: string | undefined): string {
  if (!id) throw usageError('container id must be provided');
  return id;
}

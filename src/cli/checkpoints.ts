import type { Command } from 'commander';
import { type Connection, request } from './client.ts';
import { decodedSpec } from './container-info.ts';
import { eachReportingFailures, requiredRef, ServerError, usageError } from './errors.ts';
import { anyJson, type AnyView, goJsonTime, type JsonValue, marshalIndent } from './go-format.ts';
import type { Label } from './labels.ts';
import { connectionOf, withConnectionFlags } from './options.ts';
import { listAll } from './pages.ts';
import { CONTAINER_TABLE, formatTable } from './tabwriter.ts';

/**
 * `berth checkpoints|checkpoint|cp`: list, read and delete what `containers checkpoint` stored
 * (docs/behaviour.md §7). ctr has no such group, so the shapes follow berth's container verbs: a table like
 * `containers list`, and JSON like `containers info`.
 */

const VIEW_FIELDS = `ref containerId labels { key value } image runtime { name options { typeUrl value } } spec { typeUrl value }
  snapshotter createdAt extensions { name value { typeUrl value } }`;
const INFO = `query($ref: String!) { checkpoint(ref: $ref) { ${VIEW_FIELDS} } }`;
const LIST = `query($filters: [String!], $first: Int, $after: String) {
  checkpoints(filters: $filters, first: $first, after: $after) { nodes { ref containerId image createdAt } pageInfo { hasNextPage endCursor } } }`;
const DELETE = `mutation($ref: String!) { deleteCheckpoint(input: { ref: $ref }) { ref } }`;

interface CheckpointRow {
  readonly ref: string;
  readonly containerId: string;
  readonly image: string;
  readonly createdAt: string;
}

interface CheckpointView extends CheckpointRow {
  readonly labels: readonly Label[];
  readonly runtime: { readonly name: string; readonly options: AnyView | null };
  readonly spec: AnyView | null;
  readonly snapshotter: string;
  readonly extensions: readonly { readonly name: string; readonly value: AnyView }[];
}

export function addCheckpointsCommand(program: Command): void {
  const group = withConnectionFlags(program.command('checkpoints').aliases(['checkpoint', 'cp']).description('manage container checkpoints'));

  withConnectionFlags(group.command('list'))
    .alias('ls')
    .description('list checkpoints matching ANY of the filters (fields: ref, labels.<key>)')
    .argument('[FILTER...]')
    .option('-q, --quiet', 'print only the checkpoint refs')
    .action(async (filters: string[], options: { quiet?: boolean }, command: Command) => {
      const checkpoints = await listAll<CheckpointRow>(connectionOf(command), LIST, 'checkpoints', filters);
      if (options.quiet) return void process.stdout.write(checkpoints.map((c) => c.ref + '\n').join(''));
      const rows = checkpoints.map((c) => [c.ref, c.containerId, c.image === '' ? '-' : c.image, c.createdAt]);
      process.stdout.write(formatTable([['CHECKPOINT', 'CONTAINER', 'IMAGE', 'CREATED'], ...rows], CONTAINER_TABLE));
    });

  withConnectionFlags(group.command('info'))
    .description('print a checkpoint as JSON')
    .argument('[REF]')
    .action(async (ref: string | undefined, _options: unknown, command: Command) => {
      process.stdout.write(checkpointInfo(await load(connectionOf(command), requiredRef(ref))));
    });

  withConnectionFlags(group.command('delete'))
    .aliases(['del', 'remove', 'rm'])
    .description('delete one or more checkpoints')
    .argument('[REF...]')
    .action(async (refs: string[], _options: unknown, command: Command) => {
      if (refs.length === 0) throw usageError('must specify at least one checkpoint to delete');
      const connection = connectionOf(command);
      await eachReportingFailures(refs, (ref) => request(connection, DELETE, { ref }));
    });
}

async function load(connection: Connection, ref: string): Promise<CheckpointView> {
  const { checkpoint } = await request<{ checkpoint: CheckpointView | null }>(connection, INFO, { ref });
  if (!checkpoint) throw new ServerError('NOT_FOUND', `checkpoint ${JSON.stringify(ref)}: not found`);
  return checkpoint;
}

/** The record in the shape of `containers info`: Go field names, the spec decoded when it is JSON. */
function checkpointInfo(c: CheckpointView): string {
  return (
    marshalIndent(
      new Map<string, JsonValue>([
        ['Ref', c.ref],
        ['ContainerID', c.containerId],
        ['Labels', c.labels.length === 0 ? null : new Map(c.labels.map(({ key, value }) => [key, value]))],
        ['Image', c.image],
        [
          'Runtime',
          new Map([
            ['Name', c.runtime.name],
            ['Options', anyJson(c.runtime.options)],
          ]),
        ],
        ['Spec', decodedSpec(c.spec) ?? anyJson(c.spec)],
        ['Snapshotter', c.snapshotter],
        ['CreatedAt', goJsonTime(c.createdAt)],
        ['Extensions', new Map(c.extensions.map(({ name, value }) => [name, anyJson(value)]))],
      ]),
    ) + '\n'
  );
}

import type { Command } from 'commander';
import { request } from './client.ts';
import { EXIT_FAILED, printError, ServerError, usageError } from './errors.ts';
import { type Label, labelArgs, labelPairs } from './labels.ts';
import { connectionOf, withConnectionFlags } from './options.ts';
import { formatTable, NAMESPACE_TABLE } from './tabwriter.ts';

/** `berth namespaces|namespace|ns`: ctr's namespace verbs (docs/behaviour.md §5). */

const CREATE = `mutation($name: String!, $labels: [LabelInput!]) { createNamespace(input: { name: $name, labels: $labels }) { namespace { name } } }`;
const LIST = `{ namespaces { name labels { key value } } }`;
const LABELS = `query($name: String!) { namespace(name: $name) { labels { key value } } }`;
const SET_LABELS = `mutation($name: String!, $labels: [LabelInput!], $paths: [String!]) {
  updateNamespace(input: { name: $name, labels: $labels, fieldPaths: $paths }) { namespace { name } } }`;
const REMOVE = `mutation($name: String!) { deleteNamespace(input: { name: $name }) { name } }`;

export function addNamespacesCommand(program: Command): void {
  const group = withConnectionFlags(program.command('namespaces').aliases(['namespace', 'ns']).description('manage namespaces'));

  withConnectionFlags(group.command('create'))
    .alias('c')
    .description('create a namespace, with labels k=v')
    .argument('[NAME]')
    .argument('[KEY=VALUE...]')
    .action(async (name: string | undefined, args: string[], _options: unknown, command: Command) => {
      await request(connectionOf(command), CREATE, { name: required(name), labels: labelArgs(args) });
    });

  withConnectionFlags(group.command('list'))
    .alias('ls')
    .description('list namespaces')
    .option('-q, --quiet', 'print only the namespace names')
    .action(async (options: { quiet?: boolean }, command: Command) => {
      const { namespaces } = await request<{ namespaces: { name: string; labels: Label[] }[] }>(connectionOf(command), LIST);
      if (options.quiet) return void process.stdout.write(namespaces.map((ns) => ns.name + '\n').join(''));
      const rows = namespaces.map((ns) => [ns.name, labelPairs(ns.labels)]);
      process.stdout.write(formatTable([['NAME', 'LABELS'], ...rows], NAMESPACE_TABLE));
    });

  withConnectionFlags(group.command('label'))
    .description('set (k=v) or clear (k=) labels of a namespace; with no pairs, print its labels')
    .argument('[NAME]')
    .argument('[KEY=VALUE...]')
    .action(async (name: string | undefined, args: string[], _options: unknown, command: Command) => {
      const connection = connectionOf(command);
      if (args.length === 0) {
        // Berth's addition, like `containers label`: ctr does nothing here.
        const { namespace } = await request<{ namespace: { labels: Label[] } | null }>(connection, LABELS, { name: required(name) });
        if (!namespace) throw new ServerError('NOT_FOUND', `namespace ${JSON.stringify(name)}: not found`);
        return void process.stdout.write(labelPairs(namespace.labels) + '\n');
      }
      // ctr sets one `labels.<key>` path per pair; berth sends them in one update, so all or none apply.
      const labels = labelArgs(args);
      await request(connection, SET_LABELS, { name: required(name), labels, paths: labels.map(({ key }) => `labels.${key}`) });
    });

  withConnectionFlags(group.command('remove'))
    .alias('rm')
    .description('remove empty namespaces, printing each name; an unknown name counts as removed')
    .argument('[NAME...]')
    .action(async (names: string[], _options: unknown, command: Command) => {
      const connection = connectionOf(command);
      for (const name of names) {
        const removed = await request(connection, REMOVE, { name }).then(
          () => true,
          (error: unknown) => {
            if (!(error instanceof ServerError)) throw error;
            if (error.code === 'NOT_FOUND') return true;
            printError(error.message);
            process.exitCode = EXIT_FAILED;
            return false;
          },
        );
        if (removed) process.stdout.write(name + '\n');
      }
    });
}

function required(name: string | undefined): string {
  if (!name) throw usageError('please specify a namespace');
  return name;
}

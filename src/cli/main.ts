import { Command, Help } from 'commander';
import { addCheckpointsCommand } from './checkpoints.ts';
import { addContainersCommand } from './containers.ts';
import { report } from './errors.ts';
import { addEventsCommand } from './events.ts';
import { addNamespacesCommand } from './namespaces.ts';
import { withConnectionFlags } from './options.ts';

/**
 * The berth command line. `serve` and `migrate` run the server in-process (loaded only for
 * them); every other verb is a GraphQL client of a running server and never touches the database.
 */
const program = withConnectionFlags(new Command('berth'))
  .description('Berth: containerd container metadata over GraphQL, with ctr-compatible verbs and output')
  // Each command reads only the flags given before its subcommand; the connection flags are
  // declared on every level, so they still work before or after the verb (see options.ts).
  .enablePositionalOptions()
  .exitOverride()
  .configureOutput({ outputError: (message, write) => write(`berth: ${message.replace(/^error: /, '')}`) })
  // Commander shows a command's first alias only; the README and ctr users use the others (c, cp, ns).
  .configureHelp({ subcommandTerm: (command) => new Help().subcommandTerm(command).replace(/^\S+/, [command.name(), ...command.aliases()].join('|')) })
  .addHelpText(
    'after',
    `
Exit status:
  0  success
  1  the operation failed: the server reported an error (printed as "berth: CODE: message" on
     stderr, CODE being the GraphQL extensions.code), or the server could not be reached
  2  usage error: unknown command or flag, missing argument ("berth: message" on stderr)`,
  );

program
  .command('serve')
  .description('start the server (configuration from the environment, see README)')
  .action(async () => (await import('../server/main.ts')).serve());
program
  .command('migrate')
  .description('apply database migrations and exit')
  .action(async () => (await import('../server/migrate-only.ts')).migrateOnly());
addContainersCommand(program);
addCheckpointsCommand(program);
addNamespacesCommand(program);
addEventsCommand(program);

try {
  await program.parseAsync();
} catch (error) {
  process.exitCode = report(error);
}

import { Command } from 'commander';
import { serve } from '../server/main.ts';
import { migrateOnly } from '../server/migrate-only.ts';

/** The berth command line. Server verbs run in-process; every other verb is a GraphQL client. */
const program = new Command('berth').description('Berth: containerd container metadata over GraphQL');

program.command('serve').description('start the server (configuration from the environment, see README)').action(serve);
program.command('migrate').description('apply database migrations and exit').action(migrateOnly);

await program.parseAsync();

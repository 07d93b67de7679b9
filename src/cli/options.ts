import type { Command } from 'commander';
import type { Connection } from './client.ts';

/**
 * The global flags (README "The CLI"). They may go before or after the verb, so every client
 * command declares them; the one given nearest the verb wins, then the environment, then the
 * default. (`create` stops reading flags at its first argument, as ctr's does, so that a
 * command's own flags like `sh -c …` stay its own: this is why the root cannot simply read all.)
 */
const DEFAULT_ADDRESS = 'http://127.0.0.1:4000/graphql';
const DEFAULT_NAMESPACE = 'default';

export function withConnectionFlags(command: Command): Command {
  return command
    .option('-a, --address <url>', `GraphQL endpoint of the server (env BERTH_ADDRESS, default ${DEFAULT_ADDRESS})`)
    .option('-n, --namespace <name>', `namespace to work in (env BERTH_NAMESPACE, default ${DEFAULT_NAMESPACE})`)
    .option('--token <jwt>', 'bearer token, sent as Authorization: Bearer (env BERTH_TOKEN)');
}

export function connectionOf(command: Command): Connection {
  const given = (name: string): string | undefined => {
    for (let at: Command | null = command; at; at = at.parent) {
      const value = at.getOptionValue(name) as string | undefined;
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const token = given('token') ?? process.env.BERTH_TOKEN;
  return {
    address: given('address') ?? (process.env.BERTH_ADDRESS || DEFAULT_ADDRESS),
    namespace: given('namespace') ?? (process.env.BERTH_NAMESPACE || DEFAULT_NAMESPACE),
    ...(token ? { token } : {}),
  };
}

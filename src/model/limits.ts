/** Request limits, read from the environment by the server; each breach is RESOURCE_EXHAUSTED. The README lists them with their variables. */
export interface Limits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxCost: number;
  readonly maxDirectives: number;
  readonly maxTokens: number;
  readonly maxFilterSelectors: number;
  readonly maxBodyBytes: number;
  readonly maxLabels: number;
  readonly maxExtensions: number;
  readonly statementTimeoutMs: number;
  readonly maxSubscriptionsPerConnection: number;
}

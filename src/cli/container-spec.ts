import { readFile } from 'node:fs/promises';
import { type JsonValue, marshal } from './go-format.ts';
import { usageError } from './errors.ts';
import { byteOrder, type Label } from './labels.ts';

/** The OCI runtime spec that `berth containers create` stores, as ctr's run.NewContainer builds it. */
export const SPEC_TYPE_URL = 'types.containerd.io/opencontainers/runtime-spec/1/Spec';

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const DEFAULT_NAMESPACES = ['pid', 'ipc', 'uts', 'mount', 'network'];

export interface DefaultSpecInput {
  readonly namespace: string;
  readonly id: string;
  /** COMMAND and its ARGs; none leaves process.args out, as without an image config. */
  readonly args: readonly string[];
  readonly env: readonly string[];
  readonly cwd: string | undefined;
  readonly labels: readonly Label[];
}

/**
 * A minimal valid spec in place of containerd's default one (oci.WithDefaultSpec), which Berth
 * cannot complete without an image: the process, its environment and working directory, the
 * rootfs path and the Linux namespaces. Keys follow the order of the Go structs and empty
 * optional fields are left out, so the JSON is what containerd itself would store.
 */
export function defaultSpec(input: DefaultSpecInput): string {
  const process = new Map<string, JsonValue>([
    [
      'user',
      new Map([
        ['uid', 0],
        ['gid', 0],
      ]),
    ],
  ]);
  if (input.args.length > 0) process.set('args', [...input.args]);
  process.set('env', withEnv([DEFAULT_PATH], input.env));
  process.set('cwd', input.cwd || '/');
  process.set('noNewPrivileges', true);
  const spec = new Map<string, JsonValue>([
    ['ociVersion', '1.2.1'],
    ['process', process],
    ['root', new Map([['path', 'rootfs']])],
  ]);
  if (input.labels.length > 0) spec.set('annotations', annotations(input.labels));
  spec.set(
    'linux',
    new Map<string, JsonValue>([
      ['cgroupsPath', `/${input.namespace}/${input.id}`],
      ['namespaces', DEFAULT_NAMESPACES.map((type) => new Map([['type', type]]))],
    ]),
  );
  return marshal(spec);
}

/** `--config FILE`: the spec comes from the file, and the labels are added as annotations. */
export async function specFromFile(path: string, labels: readonly Label[]): Promise<string> {
  let spec: unknown;
  try {
    spec = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw usageError(`cannot read spec config file ${JSON.stringify(path)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw usageError(`spec config file ${JSON.stringify(path)} does not hold a JSON object`);
  if (labels.length === 0) return marshal(spec as JsonValue);
  const existing = (spec as { annotations?: Record<string, string> }).annotations ?? {};
  const merged = annotations([...Object.entries(existing).map(([key, value]) => ({ key, value })), ...labels]);
  return marshal({ ...(spec as Record<string, JsonValue>), annotations: merged });
}

/** oci.WithAnnotations(labels): every label, empty values included, as a Go map (sorted keys). */
function annotations(labels: readonly Label[]): Map<string, JsonValue> {
  const byKey = new Map(labels.map(({ key, value }) => [key, value]));
  const keys = [...byKey.keys()].sort(byteOrder);
  return new Map(keys.map((key) => [key, byKey.get(key) ?? '']));
}

/**
 * containerd's oci.WithEnv: `K=V` replaces the default with the same key or is appended, and a
 * bare `K` removes the default K.
 */
function withEnv(defaults: readonly string[], overrides: readonly string[]): string[] {
  const result: (string | null)[] = [...defaults];
  const keyOf = (entry: string) => entry.split('=', 1)[0] ?? entry;
  const indexOf = new Map(defaults.map((entry, index) => [keyOf(entry), index]));
  for (const entry of overrides) {
    const index = indexOf.get(keyOf(entry));
    if (!entry.includes('=')) {
      if (index !== undefined) result[index] = null;
    } else if (index !== undefined) result[index] = entry;
    else result.push(entry);
  }
  return result.filter((entry): entry is string => entry !== null);
}

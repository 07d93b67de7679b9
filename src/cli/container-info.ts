import { CliError } from './errors.ts';
import { anyJson, type AnyView, goJsonTime, type JsonValue, marshalIndent } from './go-format.ts';
import type { Label } from './labels.ts';

/** `berth containers info`: ctr's JSON rendering of a container (docs/behaviour.md §8). */

export interface ContainerView {
  readonly containerId: string;
  readonly labels: readonly Label[];
  readonly image: string;
  readonly runtime: { readonly name: string; readonly options: AnyView | null };
  readonly spec: AnyView | null;
  readonly snapshotKey: string;
  readonly snapshotter: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly extensions: readonly { readonly name: string; readonly value: AnyView }[];
  readonly sandbox: string;
}

export const CONTAINER_VIEW_FIELDS = `containerId labels { key value } image runtime { name options { typeUrl value } } spec { typeUrl value }
  snapshotKey snapshotter createdAt updatedAt extensions { name value { typeUrl value } } sandbox`;

/**
 * The containers.Container Go struct through json.MarshalIndent: Go field names in struct order,
 * Labels null when empty (a nil map), Extensions {} when empty (ctr makes that map). When the spec
 * decodes, ctr prints an anonymous struct that embeds the container and adds its own `Spec`
 * field: that field shadows the embedded one and, being the outer struct's, comes last.
 */
export function containerInfo(c: ContainerView): string {
  const spec = decodedSpec(c.spec);
  const info = new Map<string, JsonValue>([
    ['ID', c.containerId],
    ['Labels', c.labels.length === 0 ? null : new Map(c.labels.map(({ key, value }) => [key, value]))],
    ['Image', c.image],
    [
      'Runtime',
      new Map([
        ['Name', c.runtime.name],
        ['Options', anyJson(c.runtime.options)],
      ]),
    ],
    ['Spec', anyJson(c.spec)],
    ['SnapshotKey', c.snapshotKey],
    ['Snapshotter', c.snapshotter],
    ['CreatedAt', goJsonTime(c.createdAt)],
    ['UpdatedAt', goJsonTime(c.updatedAt)],
    ['Extensions', new Map(c.extensions.map(({ name, value }) => [name, anyJson(value)]))],
    ['SandboxID', c.sandbox],
  ]);
  if (spec !== undefined) {
    info.delete('Spec');
    info.set('Spec', spec);
  }
  return marshalIndent(info) + '\n';
}

/** `info --spec`: the decoded spec alone. */
export function containerSpec(c: ContainerView): string {
  const spec = decodedSpec(c.spec);
  if (spec === undefined) throw new CliError(`container ${JSON.stringify(c.containerId)} has no spec that decodes as JSON`);
  return marshalIndent(spec) + '\n';
}

/**
 * ctr decodes a spec only when it has bytes (`GetValue() != nil`). Berth decodes any JSON value
 * whatever its type URL; what is not JSON stays an Any in its usual place. The decoded object
 * prints with the key order it was stored with (ctr would re-encode it through the OCI structs).
 */
export function decodedSpec(spec: AnyView | null): JsonValue | undefined {
  if (!spec || spec.value === '') return undefined;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(spec.value, 'base64'))) as JsonValue;
  } catch {
    return undefined;
  }
}

/**
 * The shape of the benchmark's data, shared by the seeder (bench/seed.ts, in SQL), the HTTP
 * scenarios (as GraphQL input) and the baseline (as store rows), so that all three write and read
 * the same kind of container. If you change one side, change the SQL in seed.ts to match.
 */

/** Everything runs in the server's default namespace, so no request needs a namespace header. */
export const NAMESPACE = 'default';

/** The low-cardinality label: `app` takes 10 values, so `labels.app==db` matches 1 container in 10. */
export const APPS = ['web', 'db', 'cache', 'queue', 'auth', 'api', 'worker', 'proxy', 'search', 'metrics'] as const;
/** The selective label for `scale`: `bucket` takes 10,000 values, so one value matches 1 in 10,000. */
export const BUCKETS = 10_000;
/** A bucket value picked at random: the `scale` filter, on the server and in the baseline alike. */
export const randomBucket = () => `b${Math.floor(Math.random() * BUCKETS)}`;
export const TIERS = ['frontend', 'backend', 'data'] as const;
export const TEAMS = 50;

export const LIST_FILTER = 'labels.app==db';

/** Seeded containers are ctr-00000000 … ctr-<n-1>, zero-padded so byte order is index order. */
export function seededId(index: number): string {
  return `ctr-${String(index).padStart(8, '0')}`;
}

/** How many seeded ids get and update may use: the lower half, which delete never removes. */
export const stableIds = (n: number) => Math.max(1, Math.floor(n / 2));
/** A seeded id from the stable half, at random. */
export const randomStableId = (n: number) => seededId(Math.floor(Math.random() * stableIds(n)));

export const RUNTIME_NAME = 'io.containerd.runc.v2';
export const RUNTIME_OPTIONS_TYPE = 'containerd.runc.v1.Options';
export const RUNTIME_OPTIONS = '{"SystemdCgroup":true}';
export const SNAPSHOTTER = 'overlayfs';
export const SPEC_TYPE = 'types.containerd.io/opencontainers/runtime-spec/1/Spec';
/** A small OCI spec. Real ones are a few KiB; this keeps a 1M-row seed to a reasonable size. */
export const SPEC = JSON.stringify({
  ociVersion: '1.1.0',
  process: {
    user: { uid: 0, gid: 0 },
    args: ['/bin/sh', '-c', 'sleep infinity'],
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    cwd: '/',
  },
  root: { path: 'rootfs' },
  linux: { namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'network' }] },
});
export const EXTENSION_NAME = 'bench.ext';
export const EXTENSION_TYPE = 'bench/Extension';
export const EXTENSION_VALUE = '{"owner":"bench"}';
/** The extensions column as the store keeps it: name -> {typeUrl, value: base64 of the bytes}. */
export const STORED_EXTENSIONS = { [EXTENSION_NAME]: { typeUrl: EXTENSION_TYPE, value: Buffer.from(EXTENSION_VALUE).toString('base64') } };

/** About five labels per container: one low-cardinality, one unique, one selective, two more. */
export function labelsFor(index: number, unique: string): Record<string, string> {
  return {
    app: APPS[index % APPS.length]!,
    bucket: `b${index % BUCKETS}`,
    team: `team-${index % TEAMS}`,
    tier: TIERS[index % TIERS.length]!,
    uid: unique,
  };
}

export function imageFor(index: number): string {
  return `docker.io/library/${APPS[index % APPS.length]}:1.${index % 7}`;
}

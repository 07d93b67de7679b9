import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type CliResult, berth, dots, succeeded } from '../helpers/cli.ts';
import { CREATE } from '../helpers/containers.ts';
import { refusingPort } from '../helpers/ports.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** `berth containers …` against a real server, compared byte for byte with ctr's formats (docs/behaviour.md §8). */
let server: TestServer;
let dir: string;
const run = (...args: string[]) => berth(args, { BERTH_ADDRESS: server.url });

function failed(result: CliResult, status: number, stderr: string): void {
  assert.equal(result.stdout, '');
  assert.equal(result.stderr, stderr);
  assert.equal(result.status, status);
}

/** The server's microsecond DateTime as Go prints a time.Time in JSON: trailing zeros trimmed. */
const goTime = (dateTime: string) => dateTime.replace(/\.?0+Z$/, 'Z');
const timesOf = async (id: string) => {
  const { data } = await server.gql(`query($id: String!) { container(containerId: $id) { createdAt } }`, { id });
  return goTime(data.container.createdAt);
};

before(async () => {
  server = await startServer();
  dir = await mkdtemp(join(tmpdir(), 'berth-cli-'));
  await writeFile(join(dir, 'spec.json'), JSON.stringify({ ociVersion: '1.0.2', process: { args: ['true'], cwd: '/' } }));
  succeeded(
    await run(
      'containers',
      'create',
      '--label',
      'app=cache',
      '--label',
      'tier=backend',
      '--snapshotter',
      'overlayfs',
      'docker.io/library/redis:alpine',
      'redis',
    ),
  );
  succeeded(
    await run(
      'c',
      'create',
      '--runtime',
      'io.containerd.kata.v2',
      '--env',
      'FOO=bar',
      '--cwd',
      '/srv',
      'docker.io/library/busybox:latest',
      'c1',
      'sh',
      '-c',
      'echo <hi> & bye',
    ),
  );
  succeeded(await run('container', 'create', '--config', join(dir, 'spec.json'), '--label', 'role=tool', 'tool'));
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('list', () => {
  test('the table: tabwriter columns, "-" for no image, trailing padding on every line', async () => {
    assert.equal(
      succeeded(await run('c', 'list')),
      dots(
        'CONTAINER    IMAGE                               RUNTIME··················\n' +
          'c1           docker.io/library/busybox:latest    io.containerd.kata.v2····\n' +
          'redis        docker.io/library/redis:alpine      io.containerd.runc.v2····\n' +
          'tool         -                                   io.containerd.runc.v2····\n',
      ),
    );
  });

  test('-q prints the ids, one per line', async () => {
    assert.equal(succeeded(await run('c', 'ls', '-q')), 'c1\nredis\ntool\n');
  });

  test('each argument is a filter, and ANY may match', async () => {
    assert.equal(succeeded(await run('c', 'ls', '-q', 'labels.app==cache', 'runtime.name~=kata')), 'c1\nredis\n');
    assert.equal(
      succeeded(await run('c', 'ls', 'image==docker.io/library/redis:alpine')),
      dots(
        'CONTAINER    IMAGE                             RUNTIME··················\nredis        docker.io/library/redis:alpine    io.containerd.runc.v2····\n',
      ),
    );
    assert.equal(succeeded(await run('c', 'ls', 'id==none')), dots('CONTAINER    IMAGE    RUNTIME    \n'));
  });

  test('a bad filter is the server error, exit 1', async () => {
    failed(await run('c', 'ls', 'id=='), 1, 'berth: INVALID_ARGUMENT: filters: parse error: [id==]: expected value or quoted\n');
  });

  test('walks every page: more containers than the largest page', async () => {
    const ns = 'many';
    const ids = Array.from({ length: 1001 }, (_, i) => `m${String(i).padStart(4, '0')}`);
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(
        ids.slice(i, i + 50).map(async (id) => {
          const created = await server.gql(CREATE, { c: { containerId: id, runtime: { name: 'rt' }, spec: { typeUrl: 't', json: {} } } }, { namespace: ns });
          assert.equal(created.errors, undefined);
        }),
      );
    }
    assert.equal(succeeded(await run('c', 'ls', '-q', '-n', ns)), ids.map((id) => id + '\n').join(''));
  });
});

describe('create', () => {
  test('builds a default OCI spec from COMMAND, ARGs, --env and --cwd, with the labels as annotations', async () => {
    assert.equal(
      succeeded(await run('c', 'info', '--spec', 'c1')),
      `{
    "ociVersion": "1.2.1",
    "process": {
        "user": {
            "uid": 0,
            "gid": 0
        },
        "args": [
            "sh",
            "-c",
            "echo \\u003chi\\u003e \\u0026 bye"
        ],
        "env": [
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "FOO=bar"
        ],
        "cwd": "/srv",
        "noNewPrivileges": true
    },
    "root": {
        "path": "rootfs"
    },
    "linux": {
        "cgroupsPath": "/default/c1",
        "namespaces": [
            {
                "type": "pid"
            },
            {
                "type": "ipc"
            },
            {
                "type": "uts"
            },
            {
                "type": "mount"
            },
            {
                "type": "network"
            }
        ]
    }
}
`,
    );
  });

  test('--config takes the spec from the file, adds the labels as annotations, and stores no image or snapshot', async () => {
    const info = JSON.parse(succeeded(await run('c', 'info', 'tool')));
    assert.deepEqual(info.Spec, { ociVersion: '1.0.2', process: { args: ['true'], cwd: '/' }, annotations: { role: 'tool' } });
    assert.deepEqual([info.Image, info.Snapshotter, info.SnapshotKey, info.Labels], ['', '', '', { role: 'tool' }]);
  });

  test("usage errors use ctr's texts and exit 2", async () => {
    failed(await run('c', 'create'), 2, 'berth: image ref must be provided\n');
    failed(await run('c', 'create', 'img'), 2, 'berth: container id must be provided\n');
    failed(await run('c', 'create', '--config', join(dir, 'spec.json'), 'a', 'b'), 2, 'berth: with spec config file, only container id should be provided\n');
    failed(await run('c', 'create', '--config', join(dir, 'spec.json')), 2, 'berth: container id must be provided\n');
    failed(await run('c', 'create', '--bogus', 'img', 'x'), 2, "berth: unknown option '--bogus'\n");
    failed(await run('c', 'frobnicate'), 2, "berth: unknown command 'frobnicate'\n");
  });

  test('an id that is taken is the server error, exit 1', async () => {
    failed(await run('c', 'create', 'img', 'redis'), 1, 'berth: ALREADY_EXISTS: container "redis": already exists\n');
  });

  test('an unreachable server exits 1', async () => {
    const closed = await refusingPort();
    const address = `http://127.0.0.1:${closed.port}/graphql`;
    const result = await berth(['c', 'ls'], { BERTH_ADDRESS: address }).finally(closed.release);
    assert.equal(result.status, 1);
    assert.equal(result.stderr, `berth: cannot reach ${address}: connect ECONNREFUSED ${new URL(address).host}\n`);
  });
});

describe('info', () => {
  test('Go field names and order, the decoded spec moved to the end', async () => {
    const time = await timesOf('redis');
    assert.equal(
      succeeded(await run('c', 'info', 'redis')),
      `{
    "ID": "redis",
    "Labels": {
        "app": "cache",
        "tier": "backend"
    },
    "Image": "docker.io/library/redis:alpine",
    "Runtime": {
        "Name": "io.containerd.runc.v2",
        "Options": {
            "type_url": "containerd.runc.v1.Options"
        }
    },
    "SnapshotKey": "redis",
    "Snapshotter": "overlayfs",
    "CreatedAt": "${time}",
    "UpdatedAt": "${time}",
    "Extensions": {},
    "SandboxID": "",
    "Spec": {
        "ociVersion": "1.2.1",
        "process": {
            "user": {
                "uid": 0,
                "gid": 0
            },
            "env": [
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
            ],
            "cwd": "/",
            "noNewPrivileges": true
        },
        "root": {
            "path": "rootfs"
        },
        "annotations": {
            "app": "cache",
            "tier": "backend"
        },
        "linux": {
            "cgroupsPath": "/default/redis",
            "namespaces": [
                {
                    "type": "pid"
                },
                {
                    "type": "ipc"
                },
                {
                    "type": "uts"
                },
                {
                    "type": "mount"
                },
                {
                    "type": "network"
                }
            ]
        }
    }
}
`,
    );
  });

  test('Any values as {type_url, value} with omitempty, a spec that is not JSON in its place, HTML-safe escaping', async () => {
    const created = await server.gql(CREATE, {
      c: {
        containerId: 'full',
        image: 'img<1>',
        runtime: { name: 'rt', options: { typeUrl: 'example.com/Opts', value: 'AQID' } },
        spec: { typeUrl: 'example.com/Opaque', value: Buffer.from('not json').toString('base64') },
        snapshotter: 'snap',
        snapshotKey: 'full-key',
        sandbox: 'sb1',
        labels: [
          { key: 'b', value: 'x&y' },
          { key: 'a', value: '1' },
        ],
        extensions: [
          { name: 'e2', value: { typeUrl: 't2', value: '' } },
          { name: 'e1', value: { typeUrl: '', value: 'AA==' } },
        ],
      },
    });
    assert.equal(created.errors, undefined);
    const time = await timesOf('full');
    assert.equal(
      succeeded(await run('c', 'info', 'full')),
      `{
    "ID": "full",
    "Labels": {
        "a": "1",
        "b": "x\\u0026y"
    },
    "Image": "img\\u003c1\\u003e",
    "Runtime": {
        "Name": "rt",
        "Options": {
            "type_url": "example.com/Opts",
            "value": "AQID"
        }
    },
    "Spec": {
        "type_url": "example.com/Opaque",
        "value": "bm90IGpzb24="
    },
    "SnapshotKey": "full-key",
    "Snapshotter": "snap",
    "CreatedAt": "${time}",
    "UpdatedAt": "${time}",
    "Extensions": {
        "e1": {
            "value": "AA=="
        },
        "e2": {
            "type_url": "t2"
        }
    },
    "SandboxID": "sb1"
}
`,
    );
    failed(await run('c', 'info', '--spec', 'full'), 1, 'berth: container "full" has no spec that decodes as JSON\n');
  });

  test('Labels is null and Options null when there are none', async () => {
    const info = JSON.parse(succeeded(await run('c', 'info', 'c1')));
    assert.equal(info.Labels, null);
    assert.deepEqual(info.Runtime, { Name: 'io.containerd.kata.v2', Options: null });
  });

  test('an unknown id is NOT_FOUND with the text of containerd Get, exit 1; no id is a usage error', async () => {
    failed(await run('c', 'info', 'nope'), 1, 'berth: NOT_FOUND: container "nope" in namespace "default": not found\n');
    failed(await run('c', 'info'), 2, 'berth: container id must be provided\n');
  });
});

describe('label', () => {
  test('prints the resulting labels as sorted k=v pairs; k= clears, a bare k means k=true', async () => {
    assert.equal(succeeded(await run('c', 'label', 'redis', 'owner=ops', 'tier=', 'a.b', 'app=x=y')), 'a.b=true,app=x=y,owner=ops\n');
  });

  test('with no pairs it prints the labels (deviation from ctr, docs/behaviour.md §8); none is an empty line', async () => {
    assert.equal(succeeded(await run('c', 'label', 'redis')), 'a.b=true,app=x=y,owner=ops\n');
    assert.equal(succeeded(await run('c', 'label', 'c1')), '\n');
  });

  test('an unknown container is NOT_FOUND', async () => {
    failed(await run('c', 'label', 'nope', 'a=b'), 1, 'berth: NOT_FOUND: container "nope": not found\n');
    failed(await run('c', 'label', 'nope'), 1, 'berth: NOT_FOUND: container "nope" in namespace "default": not found\n');
  });
});

describe('global flags', () => {
  test('--namespace/-n before or after the verb, or BERTH_NAMESPACE', async () => {
    const ns = 'flags';
    succeeded(await run('-n', ns, 'c', 'create', 'img', 'here'));
    assert.equal(succeeded(await run('--namespace', ns, 'c', 'ls', '-q')), 'here\n');
    assert.equal(succeeded(await run('c', '-n', ns, 'ls', '-q')), 'here\n');
    assert.equal(succeeded(await run('c', 'ls', '-q', '-n', ns)), 'here\n');
    assert.equal(succeeded(await berth(['c', 'ls', '-q'], { BERTH_ADDRESS: server.url, BERTH_NAMESPACE: ns })), 'here\n');
    const closed = await refusingPort();
    const overridden = await berth(['-a', server.url, 'c', 'ls', '-q', '-n', ns], { BERTH_ADDRESS: `http://127.0.0.1:${closed.port}/graphql` }).finally(
      closed.release,
    );
    assert.equal(succeeded(overridden), 'here\n', '-a wins over BERTH_ADDRESS, which nothing answers');
  });

  test('flags after IMAGE belong to COMMAND, as with ctr', async () => {
    succeeded(await run('c', 'create', 'img', 'args', 'ls', '-n', '-a'));
    const spec = JSON.parse(succeeded(await run('c', 'info', '--spec', 'args')));
    assert.deepEqual(spec.process.args, ['ls', '-n', '-a']);
  });
});

describe('delete', () => {
  test('deletes each id, reports the ones that fail, and exits 1 if any did', async () => {
    succeeded(await run('c', 'create', 'img', 'd1'));
    succeeded(await run('c', 'create', 'img', 'd2'));
    failed(await run('c', 'rm', 'd1', 'nope', 'd2'), 1, 'berth: NOT_FOUND: container nope: not found\n');
    assert.equal(succeeded(await run('c', 'ls', '-q', 'id~=^d')), '');
    assert.equal(succeeded(await run('c', 'del', 'args')), '');
    failed(await run('c', 'delete'), 2, 'berth: must specify at least one container to delete\n');
  });
});

describe('help', () => {
  test('documents the exit statuses', async () => {
    const help = succeeded(await run('--help'));
    assert.match(help, /Exit status:\n {2}0 {2}success\n {2}1 .*\n.*\n {2}2 {2}usage error/);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { envelopeAdaptor } from '../../src/filters/adaptors.ts';
import { matches } from '../../src/filters/match.ts';
import { parseAll } from '../../src/filters/parser.ts';
import {
  checkpointCreated,
  checkpointDeleted,
  containerCreated,
  containerDeleted,
  containerUpdated,
  EVENT_TYPES,
  type EventMessage,
  namespaceCreated,
  namespaceDeleted,
  namespaceUpdated,
} from '../../src/model/events.ts';
import type { ContainerRecord } from '../../src/model/records.ts';

/** The event builders make containerd's messages, and every field the table lists is filterable. */
const container: ContainerRecord = {
  id: 'web',
  namespace: 'ns',
  image: 'img',
  runtime: { name: 'rt', options: { typeUrl: 'example.com/Opts', value: Buffer.from([1, 2]) } },
  spec: null,
  snapshotter: 'overlayfs',
  snapshotKey: 'snap',
  sandbox: '',
  labels: { a: '1' },
  extensions: {},
  createdAt: '2026-01-01T00:00:00.000000Z',
  updatedAt: '2026-01-01T00:00:00.000000Z',
  revision: 1,
};

const built: EventMessage[] = [
  containerCreated(container),
  containerUpdated(container),
  containerDeleted('web'),
  namespaceCreated('ns', { t: 'x' }),
  namespaceUpdated('ns', {}),
  namespaceDeleted('ns'),
  checkpointCreated('cp', 'web'),
  checkpointDeleted('cp'),
];

test('each builder makes the message of its topic, with proto field names', () => {
  assert.deepEqual(built, [
    { topic: '/containers/create', message: { id: 'web', image: 'img', runtime: { name: 'rt', options: { type_url: 'example.com/Opts', value: 'AQI=' } } } },
    { topic: '/containers/update', message: { id: 'web', image: 'img', labels: { a: '1' }, snapshot_key: 'snap' } },
    { topic: '/containers/delete', message: { id: 'web' } },
    { topic: '/namespaces/create', message: { name: 'ns', labels: { t: 'x' } } },
    { topic: '/namespaces/update', message: { name: 'ns', labels: {} } },
    { topic: '/namespaces/delete', message: { name: 'ns' } },
    { topic: '/checkpoints/create', message: { ref: 'cp', container_id: 'web' } },
    { topic: '/checkpoints/delete', message: { ref: 'cp' } },
  ]);
});

test('every topic has a builder, and every message has exactly the fields the table lists', () => {
  assert.deepEqual(built.map((e) => e.topic).sort(), Object.keys(EVENT_TYPES).sort());
  for (const { topic, message } of built) {
    assert.deepEqual(
      Object.keys(message),
      EVENT_TYPES[topic].fields.map((f) => f.proto),
      topic,
    );
  }
});

test('every field the table lists is what event.<field> filters read', () => {
  for (const { topic, message } of built) {
    const adaptor = envelopeAdaptor({ namespace: 'ns', topic, eventType: EVENT_TYPES[topic].payloadType, event: message });
    for (const field of EVENT_TYPES[topic].fields) {
      const selector =
        field.kind === 'labels' ? `event.${field.proto}.a==1` : field.kind === 'runtime' ? `event.${field.proto}.name==rt` : `event.${field.proto}`;
      const expected = field.kind !== 'labels' || Object.keys((message as unknown as Record<string, object>)[field.proto]!).includes('a');
      assert.equal(matches(parseAll([selector]), adaptor), expected, `${topic} ${selector}`);
    }
    assert.equal(matches(parseAll(['event.nope']), adaptor), false, `${topic}: an unlisted field is absent`);
  }
});

// Operator semantics (§4.5) and the adaptors (§4.8, §6.4).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerAdaptor, envelopeAdaptor, labelledAdaptor } from '../../src/filters/adaptors.ts';
import { type Adaptor, matchConjunction, matchSelector, matches } from '../../src/filters/match.ts';
import { parse, parseAll } from '../../src/filters/parser.ts';
import { PAYLOAD_FIELDS_WITH_TASK_EXIT, testAdaptor } from './helpers.ts';

const hit = (filters: string[], adaptor: Adaptor): boolean => matches(parseAll(filters), adaptor);

const container = containerAdaptor({
  id: 'c1',
  image: 'docker.io/library/redis:alpine',
  runtimeName: 'io.containerd.runc.v2',
  labels: { 'a.b': 'dotted', 'io.cri-containerd.kind': 'container', empty: '' },
});
const bare = containerAdaptor({ id: 'c2', image: '', runtimeName: '', labels: {} });

describe('operators', () => {
  it('present: the adaptor says present', () => {
    assert.equal(hit(['id'], container), true);
    assert.equal(hit(['image'], bare), false);
    assert.equal(hit(['labels.empty'], container), true); // a key with an empty value exists
  });
  it('==: present and equal', () => {
    assert.equal(hit(['id==c1'], container), true);
    assert.equal(hit(['image=="docker.io/library/redis:alpine"'], container), true);
    assert.equal(hit(['image==""'], bare), false); // absent is never equal, even to ""
    assert.equal(hit(['labels.empty==""'], container), true);
  });
  it('!=: absent reads as ""', () => {
    assert.equal(hit(['snapshotter!=x'], container), true);
    assert.equal(hit(['image!=""'], bare), false);
    assert.equal(hit(['id!=c1'], container), false);
  });
  it('~=: unanchored, also on absent fields', () => {
    assert.equal(hit(['image~=redis'], container), true);
    assert.equal(hit(['labels.missing~=^$'], container), true);
    assert.equal(hit(['labels.missing~="[^x]"'], container), false);
    // Inside quotes a regex backslash must be doubled; unquoted it is raw.
    assert.equal(hit(['runtime.name~=/runc\\\\.v[0-9]/'], container), true);
    assert.equal(hit(['runtime.name~=runc\\.v[0-9]'], container), true);
    assert.throws(() => parse('runtime.name~=/runc\\.v2/'), /illegal escape sequence/);
  });
  it('AND within a string, OR across strings', () => {
    assert.equal(hit(['id==c1,image~=nginx'], container), false);
    assert.equal(hit(['id==zz', 'image~=redis'], container), true);
    assert.equal(hit([], container), true);
    assert.equal(hit([''], container), true);
    assert.equal(matchConjunction(parse(''), bare), true);
    assert.equal(matchSelector(parse('id==c2')[0]!, bare), true);
  });
});

describe('containerAdaptor', () => {
  it('reads id, image, runtime.name and labels', () => {
    assert.equal(hit(['runtime.name==io.containerd.runc.v2'], container), true);
    assert.equal(hit(['runtime'], container), false);
    assert.equal(hit(['runtime.options'], container), false);
    assert.equal(hit(['labels."io.cri-containerd.kind"==container'], container), true);
  });
  it('joins label path components with "."', () => {
    assert.equal(hit(['labels.a.b==dotted'], container), true);
    assert.equal(hit(['labels."a.b"==dotted'], container), true);
    assert.equal(hit(['labels."a".b==dotted'], container), true);
  });
  it('treats an empty label map as no labels', () => {
    assert.equal(hit(['labels.x!=y'], bare), true);
    assert.equal(hit(['labels'], container), false); // looks up the key ""
  });
  it('selects on the first path component only, as upstream', () => {
    assert.equal(hit(['id.anything==c1'], container), true);
    assert.equal(hit(['runtime.name.x==io.containerd.runc.v2'], container), true);
  });
  it('leaves everything else absent', () => {
    for (const f of ['snapshotter', 'snapshot_key', 'snapshotkey', 'sandbox', 'spec', 'extensions', 'created_at', 'updated_at']) {
      assert.equal(hit([f], container), false, f);
    }
  });
});

describe('testAdaptor', () => {
  it('has no empty-map special case', () => {
    const o = testAdaptor({ name: 'n', labels: {} });
    assert.equal(hit(['labels.x'], o), false);
    assert.equal(hit(['name==n,other!=x'], o), true);
    assert.equal(hit(['other'], testAdaptor({ other: 'o' })), true);
    assert.equal(hit(['labels.x'], testAdaptor({ labels: { x: '' } })), true);
  });
});

describe('labelledAdaptor', () => {
  it('serves namespaces (name) and checkpoints (ref)', () => {
    const ns = labelledAdaptor('name', { name: 'default', labels: { team: 'a' } });
    assert.equal(hit(['name==default,labels.team==a'], ns), true);
    assert.equal(hit(['ref'], ns), false);
    const cp = labelledAdaptor('ref', { name: 'cp-1', labels: {} });
    assert.equal(hit(['ref==cp-1'], cp), true);
    assert.equal(hit(['name'], cp), false);
    assert.equal(hit(['labels.x!=y'], cp), true);
  });
  it('reads labels only under labels', () => {
    const ns = labelledAdaptor('name', { name: 'default', labels: { team: 'a' } });
    assert.equal(hit(['other.team'], ns), false);
    assert.equal(hit(['labels.team==a'], ns), true);
  });
});

describe('envelopeAdaptor', () => {
  const env = (eventType: string, event: Record<string, unknown>, topic = '/containers/create'): Adaptor =>
    envelopeAdaptor({ namespace: 'default', topic, eventType, event }, PAYLOAD_FIELDS_WITH_TASK_EXIT);

  it('reads namespace and topic, never timestamp', () => {
    const e = env('containerd.events.ContainerDelete', { id: 'c' }, '/containers/delete');
    assert.equal(hit(['namespace==default,topic=="/containers/delete"'], e), true);
    assert.equal(hit(['timestamp'], e), false);
    assert.equal(hit(['event'], e), false);
  });
  it('ContainerCreate: id, image, runtime.name', () => {
    const e = env('containerd.events.ContainerCreate', { id: 'c', image: 'i', runtime: { name: 'r', options: {} } });
    assert.equal(hit(['event.id==c,event.image==i,event.runtime.name==r'], e), true);
    assert.equal(hit(['event.runtime.options'], e), false);
    // A payload whose runtime or labels are null (as JSON may carry them) has no such fields.
    const bare = env('containerd.events.ContainerCreate', { id: 'c', runtime: null, labels: null });
    assert.equal(hit(['event.runtime.name'], bare), false);
    assert.equal(hit(['event.id==c'], bare), true);
    const unlabelled = env('containerd.events.ContainerUpdate', { id: 'c', labels: null }, '/containers/update');
    assert.equal(hit(['event.labels.x'], unlabelled), false);
    assert.equal(hit(['event.labels.x!=y'], unlabelled), true);
    assert.equal(hit(['event.labels'], e), false);
  });
  it('ContainerUpdate: id, image, labels, snapshot_key', () => {
    const e = env('ContainerUpdate', { id: 'c', image: 'i', labels: { 'a.b': 'x' }, snapshot_key: 'k' }, '/containers/update');
    assert.equal(hit(['event.labels.a.b==x,event.snapshot_key==k,event.id==c,event.image==i'], e), true);
    const empty = env('containerd.events.ContainerUpdate', { id: 'c', labels: {}, snapshot_key: 'k' });
    assert.equal(hit(['event.snapshot_key==k'], empty), true);
    assert.equal(hit(['event.labels.x!=y'], empty), true); // empty map: absent
    assert.equal(hit(['event.runtime.name'], e), false);
  });
  it('ContainerDelete: id only', () => {
    const e = env('containerd.events.ContainerDelete', { id: 'c', image: 'i' });
    assert.equal(hit(['event.id==c'], e), true);
    assert.equal(hit(['event.image'], e), false);
  });
  it('TaskExit: container_id and id', () => {
    const e = env('containerd.events.TaskExit', { container_id: 'c', id: 'p', pid: 7 }, '/tasks/exit');
    assert.equal(hit(['event.container_id==c,event.id==p'], e), true);
    assert.equal(hit(['event.pid'], e), false);
  });
  it('namespace events: name and labels', () => {
    const e = env('containerd.events.NamespaceUpdate', { name: 'ns', labels: { k: 'v' } }, '/namespaces/update');
    assert.equal(hit(['event.name==ns,event.labels.k==v'], e), true);
    const d = env('NamespaceDelete', { name: 'ns', labels: { k: 'v' } }, '/namespaces/delete');
    assert.equal(hit(['event.name==ns'], d), true);
    assert.equal(hit(['event.labels.k'], d), false);
  });
  it('checkpoint events: ref and container_id', () => {
    const e = env('berth.events.CheckpointCreate', { ref: 'r', container_id: 'c' }, '/checkpoints/create');
    assert.equal(hit(['event.ref==r,event.container_id==c'], e), true);
  });
  it('unknown payload types expose no fields', () => {
    const e = env('containerd.events.Mystery', { id: 'c' });
    assert.equal(hit(['event.id'], e), false);
    assert.equal(hit(['topic'], e), true);
  });
  it('presence means non-empty', () => {
    const e = env('ContainerCreate', { id: '', image: 'i' });
    assert.equal(hit(['event.id'], e), false);
    assert.equal(hit(['event.id!=""'], e), false);
  });
});

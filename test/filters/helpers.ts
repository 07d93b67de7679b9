// Shared test plumbing: the vector file and its three adaptors.
import { readFileSync } from 'node:fs';
import { ABSENT, containerAdaptor, envelopeAdaptor, label, scalar } from '../../src/filters/adaptors.ts';
import type { Adaptor } from '../../src/filters/match.ts';
import { EVENT_TYPES } from '../../src/model/events.ts';

export interface FilterCase {
  id: string;
  corpus: string;
  filters: string[];
  expect: { ok: true; matches: number[]; match_ids?: string[] } | { ok: false; parse_error: string; parseall_error: string };
}

export interface Corpus {
  adaptor: 'test' | 'container' | 'envelope';
  objects: Record<string, unknown>[];
}

export interface VectorFile {
  corpora: Record<string, Corpus>;
  filter_cases: FilterCase[];
}

export const vectors: VectorFile = JSON.parse(readFileSync(new URL('../data/filter-cases.json', import.meta.url), 'utf8')) as VectorFile;

type Obj = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function adaptorFor(kind: Corpus['adaptor'], o: Obj): Adaptor {
  switch (kind) {
    case 'test':
      return testAdaptor(o as { name?: string; other?: string; labels?: Record<string, string> });
    case 'container':
      return containerAdaptor({
        id: str(o['id']),
        image: str(o['image']),
        runtimeName: str((o['runtime'] as Obj | undefined)?.['name']),
        labels: (o['labels'] as Record<string, string> | undefined) ?? {},
      });
    case 'envelope':
      return envelopeAdaptor(
        {
          namespace: str(o['namespace']),
          topic: str(o['topic']),
          eventType: str(o['event_type']),
          event: (o['event'] as Obj | undefined) ?? {},
        },
        PAYLOAD_FIELDS_WITH_TASK_EXIT,
      );
  }
}

/**
 * The adaptor of containerd's own filter tests (pkg/filters): no empty-map special case, and
 * labels may be missing altogether.
 */
export function testAdaptor(o: { readonly name?: string; readonly other?: string; readonly labels?: Readonly<Record<string, string>> }): Adaptor {
  return (path) => {
    switch (path[0]) {
      case 'name':
        return scalar(o.name);
      case 'other':
        return scalar(o.other);
      case 'labels':
        return label(path.slice(1), o.labels, false);
      default:
        return ABSENT;
    }
  };
}

/**
 * Berth's payload types plus containerd's TaskExit, which containerd's event filter vectors use
 * and Berth never emits.
 */
export const PAYLOAD_FIELDS_WITH_TASK_EXIT = {
  ...Object.fromEntries(Object.values(EVENT_TYPES).map((type) => [type.payloadType, type.fields])),
  TaskExit: [
    { proto: 'container_id', graphql: 'containerId', kind: 'string' },
    { proto: 'id', graphql: 'id', kind: 'string' },
  ],
} as const;

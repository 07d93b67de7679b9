// Shared test plumbing: the vector file and its three adaptors.
import { readFileSync } from 'node:fs';
import { containerAdaptor, envelopeAdaptor, testAdaptor } from '../../src/filters/adaptors.ts';
import type { Adaptor } from '../../src/filters/match.ts';

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

export const vectors: VectorFile = JSON.parse(
  readFileSync(new URL('../data/filter-cases.json', import.meta.url), 'utf8'),
) as VectorFile;

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
      return envelopeAdaptor({
        namespace: str(o['namespace']),
        topic: str(o['topic']),
        eventType: str(o['event_type']),
        event: (o['event'] as Obj | undefined) ?? {},
      });
  }
}

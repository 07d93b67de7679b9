import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { activeTransactions } from '../db/transaction.ts';
import { eventRecordLookups } from '../resolvers/event-records.ts';

/** Prometheus metrics served at /metrics (prom-client). One registry per server instance. */
export function createMetrics(sources: { activeSubscriptions: () => number }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'berth_' });
  return {
    registry,
    requests: new Counter({
      name: 'berth_requests_total',
      help: 'GraphQL requests by operation name and result code (OK or an error code).',
      labelNames: ['operation', 'code'] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'berth_request_duration_seconds',
      help: 'GraphQL request latency by operation name.',
      labelNames: ['operation'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    activeSubscriptions: new Gauge({
      name: 'berth_active_subscriptions',
      help: 'Open event subscriptions of this process.',
      registers: [registry],
      collect() {
        this.set(sources.activeSubscriptions());
      },
    }),
    deliveryLag: new Histogram({
      name: 'berth_event_delivery_lag_seconds',
      help: 'Time from an event being appended to this process reading it for its subscribers.',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    }),
    transactions: new Gauge({
      name: 'berth_db_transactions_active',
      help: 'Request transactions in progress, holding or awaiting a pooled connection.',
      registers: [registry],
      collect() {
        this.set(activeTransactions());
      },
    }),
    eventRecordLookups: new Counter({
      name: 'berth_event_record_lookups_total',
      help: 'Reads of the record an event payload is about (container, namespace, checkpoint): one per event, whatever the subscribers.',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(eventRecordLookups());
      },
    }),
    poolSize: new Gauge({ name: 'berth_db_pool_max', help: 'Connections the pool may open.', registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

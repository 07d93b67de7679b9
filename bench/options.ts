import { parseArgs } from 'node:util';

export const SCENARIOS = ['get', 'list', 'create', 'update', 'delete', 'baseline', 'raw', 'fanout', 'idle-subscribers', 'scale', 'freeze'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/**
 * --peer-shapes: the five operations Berth is compared with other stores on, each beside its two
 * baselines, at the full run's size (100,000 containers, 32 clients, 2 s warm-up, 10 s window).
 */
const PEER_SHAPES: readonly Scenario[] = ['get', 'list', 'create', 'update', 'delete', 'baseline', 'raw'];
/** What --peer-shapes fixes, so that its figures always come from the same setup. */
const FIXED_BY_PEER_SHAPES = ['n', 'concurrency', 'duration', 'warmup', 'scenarios'] as const;

export interface Options {
  readonly n: number;
  readonly concurrency: number;
  readonly duration: number;
  readonly warmup: number;
  readonly scenarios: readonly Scenario[];
  readonly subscribers: number;
  readonly rate: number;
  readonly idleSubscribers: number;
  readonly scaleN: number;
  readonly quick: boolean;
  readonly peerShapes: boolean;
  readonly out: string | undefined;
}

/** The full run's defaults, and --quick's: a smoke run of about a minute on a shared 2-core box. */
const FULL = { n: 100_000, concurrency: 32, duration: 10, warmup: 2, subscribers: 1000, rate: 20, idleSubscribers: 10_000, scaleN: 1_000_000 };
const QUICK = { n: 2000, concurrency: 8, duration: 3, warmup: 0, subscribers: 20, rate: 20, idleSubscribers: 100, scaleN: 20_000 };

export const USAGE = `npm run bench -- [options]

  --n N                  containers to seed (default ${FULL.n}; --quick ${QUICK.n})
  --concurrency C        concurrent connections / loops per scenario (default ${FULL.concurrency}; --quick ${QUICK.concurrency})
  --duration S           measured seconds per scenario (default ${FULL.duration}; --quick ${QUICK.duration})
  --warmup S             unmeasured seconds before each throughput scenario (default ${FULL.warmup}; --quick ${QUICK.warmup})
  --scenarios a,b,...    any of ${SCENARIOS.join(',')} (default: all)
  --subscribers S        fanout: WebSocket subscribers (default ${FULL.subscribers}; --quick ${QUICK.subscribers})
  --rate M               fanout: mutations per second (default ${FULL.rate}; --quick ${QUICK.rate})
  --idle-subscribers K   idle-subscribers: connections to hold open (default ${FULL.idleSubscribers}; --quick ${QUICK.idleSubscribers})
  --scale-n N            scale: grow the table to N containers first (default ${FULL.scaleN}; --quick ${QUICK.scaleN})
  --quick                small and short, for smoke runs (about a minute)
  --peer-shapes          the comparison with other stores: ${PEER_SHAPES.join(',')} at the default
                         size, concurrency, warm-up and duration (which it fixes); with --quick, a smoke run of it
  --out FILE             write the JSON report here instead of bench/results/<timestamp>.json

DATABASE_URL names the Postgres server to create the bench database on (it is dropped at the end);
unset, an embedded Postgres is started for the run.`;

export class UsageError extends Error {}

export function parseOptions(argv: readonly string[]): Options | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      n: { type: 'string' },
      concurrency: { type: 'string', short: 'c' },
      duration: { type: 'string', short: 'd' },
      warmup: { type: 'string' },
      scenarios: { type: 'string', short: 's' },
      subscribers: { type: 'string' },
      rate: { type: 'string' },
      'idle-subscribers': { type: 'string' },
      'scale-n': { type: 'string' },
      quick: { type: 'boolean', default: false },
      'peer-shapes': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const peerShapes = values['peer-shapes'];
  if (peerShapes) {
    const clash = FIXED_BY_PEER_SHAPES.filter((name) => values[name] !== undefined);
    if (clash.length > 0) throw new UsageError(`--peer-shapes fixes ${clash.map((name) => `--${name}`).join(', ')}; leave them out`);
  }
  const defaults = values.quick ? QUICK : FULL;
  const scenarios =
    values.scenarios === undefined
      ? [...(peerShapes ? PEER_SHAPES : SCENARIOS)]
      : values.scenarios
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  for (const s of scenarios)
    if (!(SCENARIOS as readonly string[]).includes(s)) throw new UsageError(`unknown scenario "${s}" (known: ${SCENARIOS.join(', ')})`);
  if (scenarios.length === 0) throw new UsageError('--scenarios names no scenario');
  return {
    n: number(values.n, 'n', defaults.n, 1),
    concurrency: number(values.concurrency, 'concurrency', defaults.concurrency, 1),
    duration: number(values.duration, 'duration', defaults.duration, 0.1),
    warmup: number(values.warmup, 'warmup', defaults.warmup, 0),
    scenarios: scenarios as Scenario[],
    subscribers: number(values.subscribers, 'subscribers', defaults.subscribers, 1),
    rate: number(values.rate, 'rate', defaults.rate, 0.1),
    idleSubscribers: number(values['idle-subscribers'], 'idle-subscribers', defaults.idleSubscribers, 1),
    scaleN: number(values['scale-n'], 'scale-n', defaults.scaleN, 1),
    quick: values.quick,
    peerShapes,
    out: values.out,
  };
}

function number(text: string | undefined, name: string, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isFinite(value) || value < min) throw new UsageError(`--${name} must be a number of at least ${min}, got "${text}"`);
  return ['n', 'concurrency', 'subscribers', 'idle-subscribers', 'scale-n'].includes(name) ? Math.floor(value) : value;
}

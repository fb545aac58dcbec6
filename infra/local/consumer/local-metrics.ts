import type pg from 'pg';
import type { MetricName } from '../../../contracts/index.js';

export interface LocalMetrics {
  record(name: MetricName, value: number): void;
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The local stand-in for CloudWatch: the same metric names as Powertools publishes
 * in AWS, summed per minute into `ops_metrics`, which the operations dashboard reads.
 */
export function createLocalMetrics(pool: pg.Pool, flushEveryMs = 2_000): LocalMetrics {
  let pending = new Map<string, { minute: string; name: string; samples: number; total: number; maximum: number }>();
  const flush = async () => {
    if (pending.size === 0) return;
    const rows = [...pending.values()];
    pending = new Map();
    await pool.query(
      `INSERT INTO ops_metrics (minute, name, samples, total, maximum)
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::bigint[], $4::float8[], $5::float8[])
       ON CONFLICT (minute, name) DO UPDATE SET samples = ops_metrics.samples + EXCLUDED.samples,
         total = ops_metrics.total + EXCLUDED.total, maximum = GREATEST(ops_metrics.maximum, EXCLUDED.maximum)`,
      [rows.map((r) => r.minute), rows.map((r) => r.name), rows.map((r) => r.samples), rows.map((r) => r.total), rows.map((r) => r.maximum)],
    );
  };
  const timer = setInterval(() => void flush().catch(() => undefined), flushEveryMs);
  timer.unref();
  return {
    record(name, value) {
      const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
      const key = `${minute}|${name}`;
      const entry = pending.get(key) ?? { minute, name, samples: 0, total: 0, maximum: Number.NEGATIVE_INFINITY };
      entry.samples++;
      entry.total += value;
      entry.maximum = Math.max(entry.maximum, value);
      pending.set(key, entry);
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush().catch(() => undefined);
    },
  };
}

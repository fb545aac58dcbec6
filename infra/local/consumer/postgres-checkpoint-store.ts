import type pg from 'pg';
import type { CheckpointStore } from './kinesis-poller.js';

/** The local consumer's checkpoints in the warehouse database (`stream_checkpoints`); a checkpoint only moves forward. */
export function createPostgresCheckpointStore(pool: pg.Pool): CheckpointStore {
  return {
    async load(shardKeys) {
      const { rows } = await pool.query<{ shard_key: string; sequence_number: string }>(
        'SELECT shard_key, sequence_number::text AS sequence_number FROM stream_checkpoints WHERE shard_key = ANY($1::text[])',
        [shardKeys],
      );
      return new Map(rows.map((row) => [row.shard_key, BigInt(row.sequence_number)]));
    },
    async save(shardKey, sequence) {
      await pool.query(
        `INSERT INTO stream_checkpoints (shard_key, sequence_number) VALUES ($1, $2::numeric)
         ON CONFLICT (shard_key) DO UPDATE SET sequence_number = GREATEST(stream_checkpoints.sequence_number, EXCLUDED.sequence_number), updated_at = now()`,
        [shardKey, sequence.toString()],
      );
    },
  };
}

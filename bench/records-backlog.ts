/**
 * For the targets that keep request records: how many records the load left waiting (in memory or in the spool
 * on disk), how many were dropped, and how long the gateway then took to store the rest. Under a saturated
 * core the embedded database runs at the lowest priority, so its work is deferred, not avoided; this is where
 * the bench shows that deferred work and that nothing was lost.
 */
export interface RecordsBacklog {
  /** Records waiting when the load stopped. */
  waiting: number;
  spoolBytes: number;
  dropped: number;
  /** Seconds until none waited; undefined if they still did after the wait. */
  storedAfterSeconds?: number;
}

function gauge(text: string, name: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : Number.NaN;
}

async function read(origin: string): Promise<{ waiting: number; spoolBytes: number; dropped: number }> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  return {
    waiting: gauge(text, 'switchyard_record_queue_length'),
    spoolBytes: gauge(text, 'switchyard_record_spool_bytes'),
    dropped: gauge(text, 'switchyard_records_dropped'),
  };
}

export async function measureRecordsBacklog(options: { origin: string; maxWaitSeconds: number }): Promise<RecordsBacklog> {
  const started = performance.now();
  const first = await read(options.origin);
  let current = first;
  while (current.waiting > 0 && performance.now() - started < options.maxWaitSeconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    current = await read(options.origin);
  }
  return {
    ...first,
    dropped: current.dropped,
    ...(current.waiting === 0 ? { storedAfterSeconds: Math.round((performance.now() - started) / 100) / 10 } : {}),
  };
}

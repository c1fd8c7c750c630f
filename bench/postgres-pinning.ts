/**
 * Moves a local Postgres server (BENCH_DATABASE_URL) off the cores of the server under test. In production the
 * record store's server is another machine; on one bench machine its CPU would otherwise be charged to the
 * gateway. The postmaster is found as the parent of this connection's backend: pinned, every backend it forks
 * later inherits the mask, and the ones already running are pinned too.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { pinProcess } from './cpu-pinning.js';

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const listed = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
    if (listed) children.push(...listed.split(' ').map(Number));
  }
  return children;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export async function pinPostgresServer(url: string, cpuList: string | undefined): Promise<void> {
  // Only a server on this machine: a remote backend's pid means nothing here.
  if (!cpuList || !LOOPBACK.has(new URL(url).hostname)) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    const postmaster = parentOf(Number(rows[0].pid));
    pinProcess(postmaster, cpuList);
    for (const child of childrenOf(postmaster)) execFileSync('taskset', ['-a', '-p', '-c', cpuList, String(child)], { stdio: 'ignore' });
  } catch (error) {
    // A server on another host (or one this user may not pin) is simply left where it is.
    process.stderr.write(`bench: could not pin the Postgres server: ${error instanceof Error ? error.message : String(error)}\n`);
  } finally {
    await client.end();
  }
}

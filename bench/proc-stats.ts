/**
 * CPU time and memory of one process, read from /proc (Linux): utime + stime from /proc/<pid>/stat, VmRSS
 * from /proc/<pid>/status. A sampler polls RSS while a case runs, because the peak under load is the figure
 * that matters and a before/after pair can miss it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcessStats {
  /** User + system CPU time since the process started. */
  cpuMs: number;
  /** The same for the main thread alone (Node's event loop), apart from worker threads such as the embedded database's. */
  mainThreadCpuMs: number;
  rssBytes: number;
  /** The process's own memory (RssAnon): RSS less the node binary's mapped pages (~45 MB), which are shared. */
  rssAnonBytes: number;
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

function cpuTicks(statPath: string): number {
  const stat = readFileSync(statPath, 'utf8');
  // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export function readProcessStats(pid: number): ProcessStats {
  const ticks = cpuTicks(`/proc/${pid}/stat`);
  // The main thread's id is the process id.
  const mainThreadTicks = cpuTicks(`/proc/${pid}/task/${pid}/stat`);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? 0);
  return { cpuMs: (ticks * 1000) / clockTicks(), mainThreadCpuMs: (mainThreadTicks * 1000) / clockTicks(), rssBytes: kilobytes('VmRSS') * 1024, rssAnonBytes: kilobytes('RssAnon') * 1024 };
}

export interface RssPeak {
  rssBytes: number;
  rssAnonBytes: number;
}

export interface RssSampler {
  /** Stops sampling; returns the peaks seen per pid. */
  stop(): Map<number, RssPeak>;
}

export function sampleRss(pids: number[], intervalMs = 250): RssSampler {
  const peaks = new Map<number, RssPeak>(pids.map((pid) => [pid, { rssBytes: 0, rssAnonBytes: 0 }]));
  const sample = () => {
    for (const pid of pids) {
      try {
        const stats = readProcessStats(pid);
        const peak = peaks.get(pid)!;
        peak.rssBytes = Math.max(peak.rssBytes, stats.rssBytes);
        peak.rssAnonBytes = Math.max(peak.rssAnonBytes, stats.rssAnonBytes);
      } catch {
        // The process is gone; its last peak stands and the case reports its errors.
      }
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}

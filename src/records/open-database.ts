/**
 * Which database holds the records: a Postgres server when `DATABASE_URL` is set, else the embedded one in a
 * data directory (`SWITCHYARD_DATA_DIR`, then `general_settings.database_dir`, then `./.switchyard/data`).
 */
import { resolve } from 'node:path';
import type { GeneralSettings } from '../config/types.js';
import type { SqlDatabase } from './sql-database.js';

export const DEFAULT_DATA_DIR = './.switchyard/data';

export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

interface Settings {
  env: NodeJS.ProcessEnv;
  general: Pick<GeneralSettings, 'databaseDir'>;
  cwd?: string;
}

function dataDirectory(options: Settings): string {
  const dir = options.env.SWITCHYARD_DATA_DIR?.trim() || options.general.databaseDir || DEFAULT_DATA_DIR;
  return resolve(options.cwd ?? process.cwd(), dir);
}

export function databaseTarget(options: Settings): DatabaseTarget {
  const url = options.env.DATABASE_URL?.trim();
  if (url) return { kind: 'postgres', url };
  return { kind: 'pglite', dataDir: dataDirectory(options) };
}

/**
 * The record spool (record-spool.ts) sits beside the data directory, `<data dir>-spool`: the embedded database
 * wants its directory to itself, and a gateway on a Postgres server still needs a local place for it.
 */
export function spoolDirectory(options: Settings & { target: DatabaseTarget }): string {
  return `${options.target.kind === 'pglite' ? options.target.dataDir : dataDirectory(options)}-spool`;
}

/** For logs: the server URL without its password, or the data directory. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'pglite') return `embedded Postgres in ${target.dataDir}`;
  try {
    const url = new URL(target.url);
    if (url.password) url.password = '****';
    return `Postgres at ${url.toString()}`;
  } catch {
    return 'Postgres at DATABASE_URL (unparseable URL)';
  }
}

/** The drivers are loaded on demand: a gateway on a server never loads the WebAssembly build, and vice versa. */
export async function openDatabase(target: DatabaseTarget): Promise<SqlDatabase> {
  if (target.kind === 'postgres') {
    const { openPgDatabase } = await import('./pg-database.js');
    return openPgDatabase({ connectionString: target.url });
  }
  const { openPgliteDatabase } = await import('./pglite-database.js');
  return openPgliteDatabase({ dataDir: target.dataDir });
}

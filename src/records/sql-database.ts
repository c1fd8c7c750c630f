/**
 * The one thing the record store needs from a database: parameterised queries, transactions and bulk loads.
 * The embedded Postgres (pglite) and a Postgres server (pg) both speak the same SQL, so everything above this
 * interface is written once.
 */
export type SqlValue = string | number | boolean | Date | null | string[];

export interface CopyInOptions {
  table: string;
  columns: readonly string[];
  /** Rows in COPY text format (see copy-text.ts), each ending in a newline. */
  text: string;
}

export interface SqlExecutor {
  query<Row = Record<string, unknown>>(text: string, params?: SqlValue[]): Promise<Row[]>;
  /** Bulk-loads rows with `COPY ... FROM STDIN`, all or none; resolves with the number of rows loaded. */
  copyIn(options: CopyInOptions): Promise<number>;
}

export interface SqlDatabase extends SqlExecutor {
  /** `pglite` (embedded, a data directory) or `postgres` (a server, `DATABASE_URL`). */
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (executor: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The SQLSTATE of a database error (`22P02`, ...), from pg, pglite, or one carried across from the worker. */
function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Errors in the data itself (class 22 data exception, class 23 integrity): retrying the same rows cannot help. */
export function isDataError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23'));
}

/** The COPY statement for `options`: identifiers are fixed by the schema, never taken from input. */
export function copyStatement(options: Pick<CopyInOptions, 'table' | 'columns'>, source: string): string {
  return `copy ${options.table} (${options.columns.join(', ')}) from ${source}`;
}

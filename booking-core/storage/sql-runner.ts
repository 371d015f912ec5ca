/** The few raw SQL operations migrations and health checks need, on PGlite or node-postgres alike. */
export interface SqlRunner {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements in one transaction. */
  execInTransaction(script: string): Promise<void>;
  /** Runs `fn` while holding a database-wide advisory lock (several instances may start at once). */
  withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
}

/** The few raw SQL operations migrations and health checks need, on PGlite or node-postgres alike. */
export interface SqlRunner {
  /**
   * One statement. With `name`, PostgreSQL keeps it prepared per connection (parsed and, once a
   * generic plan is as good, planned once); the same name must always come with the same text.
   */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], name?: string): Promise<T[]>;
  /** Runs a script of several statements in one transaction. */
  execInTransaction(script: string): Promise<void>;
  /** Runs `fn` while holding a database-wide advisory lock (several instances may start at once). */
  withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
}

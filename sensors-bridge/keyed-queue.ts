/**
 * Runs tasks one after another per key, and tasks of different keys side by side: messages of one
 * sensor are applied in the order they arrived even when one of them waits for a lookup.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** number of keys with work queued or running */
  get size(): number {
    return this.tails.size;
  }

  /** whether tasks of this key are queued or running (a task run now would overtake them) */
  has(key: string): boolean {
    return this.tails.has(key);
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    const result = previous ? previous.then(task, task) : task();
    const done = () => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
    const tail: Promise<void> = result.then(done, done);
    this.tails.set(key, tail);
    return result;
  }

  /** resolves once everything queued so far has finished */
  async drain(): Promise<void> {
    while (this.tails.size) await Promise.all(this.tails.values());
  }
}

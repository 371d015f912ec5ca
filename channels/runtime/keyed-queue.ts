/** Runs tasks one after another per key (in arrival order), and tasks of different keys side by side. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

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

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

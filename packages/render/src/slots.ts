/** A counting semaphore: at most `size` holders at once, the rest served in arrival order. */
export class Slots {
  readonly #size: number;
  #held = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    this.#size = size;
  }

  /** Holders right now. */
  get held(): number {
    return this.#held;
  }

  /** Resolves with a release function once a slot is free; rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#held < this.#size) return Promise.resolve(this.#grant());
    return new Promise((resolve, reject) => {
      const turn = () => {
        signal?.removeEventListener('abort', abort);
        resolve(this.#grant());
      };
      const abort = () => {
        const index = this.#waiting.indexOf(turn);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(signal?.reason);
      };
      this.#waiting.push(turn);
      signal?.addEventListener('abort', abort, { once: true });
    });
  }

  #grant(): () => void {
    this.#held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#held--;
      this.#waiting.shift()?.();
    };
  }
}

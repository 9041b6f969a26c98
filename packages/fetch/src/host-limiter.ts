/** Gives up a slot taken with `HostLimiter.acquire`. Calling it twice is harmless. */
export type Release = () => void;

interface Waiter {
  grant: (release: Release) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

interface HostState {
  active: number;
  /** performance.now() of the last request start. */
  lastStart: number;
  waiting: Waiter[];
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Politeness per host: at most `concurrency` requests in flight, and starts at least `delayMs`
 * apart. Waiters are served first come, first served.
 */
export class HostLimiter {
  readonly #concurrency: number;
  readonly #delayMs: number;
  readonly #hosts = new Map<string, HostState>();

  constructor(concurrency: number, delayMs: number) {
    this.#concurrency = concurrency;
    this.#delayMs = delayMs;
  }

  /** Resolves when a request to `host` may start; rejects with the signal's reason if aborted first. */
  acquire(host: string, signal?: AbortSignal): Promise<Release> {
    return new Promise<Release>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const state = this.#stateFor(host);
      const waiter: Waiter = {
        grant: resolve,
        signal,
        onAbort: () => {
          state.waiting.splice(state.waiting.indexOf(waiter), 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      state.waiting.push(waiter);
      this.#pump(state);
    });
  }

  #pump(state: HostState): void {
    while (state.active < this.#concurrency && state.waiting.length > 0) {
      const wait = state.lastStart + this.#delayMs - performance.now();
      if (wait > 0) {
        state.timer ??= setTimeout(() => {
          state.timer = undefined;
          this.#pump(state);
        }, Math.ceil(wait));
        return;
      }
      const waiter = state.waiting.shift() as Waiter;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      state.active++;
      state.lastStart = performance.now();
      let released = false;
      waiter.grant(() => {
        if (released) return;
        released = true;
        state.active--;
        this.#pump(state);
      });
    }
  }

  #stateFor(host: string): HostState {
    let state = this.#hosts.get(host);
    if (!state) {
      this.#forgetIdleHosts();
      state = { active: 0, lastStart: Number.NEGATIVE_INFINITY, waiting: [], timer: undefined };
      this.#hosts.set(host, state);
    }
    return state;
  }

  /** A host with nothing in flight or waiting, and whose delay has passed, needs no memory. */
  #forgetIdleHosts(): void {
    const now = performance.now();
    for (const [host, state] of this.#hosts) {
      if (state.active === 0 && state.waiting.length === 0 && state.lastStart + this.#delayMs <= now) {
        this.#hosts.delete(host);
      }
    }
  }
}

/** The urls of a `url` attribute: one, or several separated by whitespace. */
export function splitUrls(urls: string): string[] {
  return urls.trim().split(/\s+/).filter(Boolean);
}

/**
 * The urls of a broker cluster and which one is in use: tried in order (from a random one with
 * `shuffle`), the next one at once after a failure, a pause only when every url failed in a row.
 * Pure: the random source can be passed in.
 */
export class BrokerList {
  readonly urls: readonly string[];
  private index: number;
  /** Attempts that failed in a row, across the urls. */
  private failures = 0;

  constructor(urls: readonly string[], shuffle = false, random: () => number = Math.random) {
    this.urls = urls;
    this.index = shuffle ? Math.floor(random() * urls.length) : 0;
  }

  /** The url to try now. */
  get current(): string {
    return this.urls[this.index];
  }

  /** The current url connected: the next failure starts a new round. */
  connected(): void {
    this.failures = 0;
  }

  /**
   * The current url failed (an attempt, or the connection in use was lost): moves on to the next.
   * Returns true when every url has now failed in a row (a round is over: wait before the next).
   */
  failed(): boolean {
    this.index = (this.index + 1) % this.urls.length;
    if (++this.failures < this.urls.length) return false;
    this.failures = 0;
    return true;
  }
}

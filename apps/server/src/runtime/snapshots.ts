import type { SourceConfig } from '../config/types.js';
import { type SnapshotServer, serveSnapshot } from '../snapshot/serve-snapshot.js';

/**
 * The saved copies of sites that `snapshot:` sources are read from, each served on 127.0.0.1,
 * and the map from each site's origin to its copy that the snapshot fetcher resolves URLs with.
 */
export class Snapshots {
  /** Site origin → the loopback origin of its copy. Read by the snapshot fetcher on every request. */
  readonly origins = new Map<string, string>();
  readonly #served = new Map<string, { server: SnapshotServer; site: string; directory: string }>();

  /** Serves the source's copy when it has one and is enabled; stops a copy it no longer has. */
  async open(source: SourceConfig): Promise<void> {
    const current = this.#served.get(source.id);
    const site = new URL(source.url).origin;
    if (current && source.enabled && current.directory === source.snapshot && current.site === site) return;
    await this.close(source.id);
    if (!source.snapshot || !source.enabled) return;
    const server = await serveSnapshot(source.snapshot);
    this.#served.set(source.id, { server, site, directory: source.snapshot });
    this.origins.set(site, server.origin);
  }

  async close(sourceId: string): Promise<void> {
    const served = this.#served.get(sourceId);
    if (!served) return;
    this.#served.delete(sourceId);
    if (this.origins.get(served.site) === served.server.origin) this.origins.delete(served.site);
    await served.server.close();
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#served.keys()].map((id) => this.close(id)));
  }
}

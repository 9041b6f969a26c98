// One path measured in its own process, so peak memory is that path's alone:
//   node --conditions=source --import tsx bench/browser-render-worker.ts <plain|browser> <url> <runs>
// Prints { timesMs, peakTreeKiB, baselineKiB, items, launchMs } as JSON. `peakTreeKiB` is the
// largest memory of this process and every process under it (Chromium's), sampled every 50 ms, as
// the sum of their PSS: summed RSS would count the pages Chromium's processes share once each.
import { readdirSync, readFileSync } from 'node:fs';
import { parseListing } from '@tidings/parser';
import { Fetcher } from '../packages/fetch/src/index.js';
import { BrowserRenderer } from '../packages/render/src/index.js';

export interface BrowserRenderWorkerResult {
  timesMs: number[];
  peakTreeKiB: number;
  baselineKiB: number;
  items: number;
  /** Chromium's start, paid once per process (browser path only). */
  launchMs?: number;
}

/** Memory in KiB of `root` and all its descendants: their PSS, or RSS where PSS cannot be read (Linux /proc). */
function treeRssKiB(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name may hold spaces and parentheses: the fields after the last ")" are safe.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    total += memoryKiB(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return total;
}

function memoryKiB(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
  } catch {
    try {
      return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      return 0; // gone meanwhile
    }
  }
}

async function main(): Promise<void> {
  const [mode, url, runsArg] = process.argv.slice(2);
  if ((mode !== 'plain' && mode !== 'browser') || !url)
    throw new Error('usage: <plain|browser> <url> <runs>');
  const runs = Number(runsArg ?? 10);
  // Politeness pauses are the site's due, not the cost of rendering: none here, on loopback.
  const fetcher = new Fetcher({ allowPrivateNetwork: true, perHostDelayMs: 0, retries: 0 });
  const renderer = mode === 'browser' ? new BrowserRenderer() : undefined;
  const baselineKiB = treeRssKiB(process.pid);
  let peakTreeKiB = baselineKiB;
  const sampler = setInterval(() => {
    peakTreeKiB = Math.max(peakTreeKiB, treeRssKiB(process.pid));
  }, 50);
  const readOnce = async (): Promise<number> => {
    if (renderer) {
      const page = await renderer.render(url, { fetcher });
      return parseListing(page.html, { url: page.url, contentType: page.contentType }).articles.length;
    }
    const page = await fetcher.fetch(url);
    return parseListing(page.body, { url: page.url, contentType: page.contentType }).articles.length;
  };
  let launchMs: number | undefined;
  // The first read starts Chromium and warms the caches; it is reported apart.
  const first = performance.now();
  let items = await readOnce();
  if (renderer) launchMs = performance.now() - first;
  const timesMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    items = await readOnce();
    timesMs.push(performance.now() - started);
  }
  peakTreeKiB = Math.max(peakTreeKiB, treeRssKiB(process.pid));
  clearInterval(sampler);
  await renderer?.close();
  await fetcher.close();
  const result: BrowserRenderWorkerResult = {
    timesMs,
    peakTreeKiB,
    baselineKiB,
    items,
    ...(launchMs !== undefined && { launchMs }),
  };
  process.stdout.write(JSON.stringify(result));
}

await main();

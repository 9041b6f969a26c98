// Only the cached-feeds comparison, for work on the serving path (a full `pnpm bench` takes far
// longer): `pnpm --filter @tidings/server build && node --conditions=source --import tsx bench/http/cached-feeds-main.ts`
import { cachedFeedsBench, cachedFeedsTable } from './cached-feeds.js';

const rows = await cachedFeedsBench((line) => process.stderr.write(`${line}\n`));
process.stdout.write(`${cachedFeedsTable(rows)}\n`);

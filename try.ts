import { parseListing } from '@tidings/parser';
import { Parser, parseDocument } from 'htmlparser2';
import { generatedListing, page1 } from './bench/generate.js';

for (const [name, bytes] of [
  ['page1', page1()],
  ['10k', generatedListing(10000)],
] as const) {
  const opts = { url: 'https://jy.tj.gov.cn/JYXW/TJJY/index.html' };
  const time = (f: () => unknown, n: number) => {
    const ts: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      f();
      ts.push(performance.now() - t);
    }
    ts.sort((a, b) => a - b);
    return ts[Math.floor(n / 2)]!;
  };
  const n = name === 'page1' ? 200 : 7;
  time(() => parseListing(bytes, opts), 3);
  const ours = time(() => parseListing(bytes, opts), n);
  const floorDom = time(() => parseDocument(new TextDecoder().decode(bytes)), n);
  const floorTok = time(() => {
    const p = new Parser({});
    p.end(new TextDecoder().decode(bytes));
  }, n);
  console.log(name, (bytes.length / 1024).toFixed(0) + 'KiB', {
    ours: ours.toFixed(2),
    floorDom: floorDom.toFixed(2),
    floorTok: floorTok.toFixed(2),
    ratioDom: (ours / floorDom).toFixed(2),
    ratioTok: (ours / floorTok).toFixed(2),
  });
}

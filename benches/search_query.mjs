// The bytes one search downloads: opens BASE/search/?q=QUERY in headless Chromium,
// waits for the results, and sums the bodies of every response under /pagefind/
// (the page itself, its CSS and scripts are not counted: every page loads those).
// Prints "N KB in M requests (R results)", N as this plain server sent them, and
// what a host that gzips scripts and JSON (GitHub Pages, Netlify, nginx with gzip
// on) sends: Pagefind's own index files are gzipped already. Usage:
//   node search_query.mjs TOOLS_DIR CHROMIUM BASE_URL QUERY
import { gzipSync } from 'node:zlib';
import { launch } from '../tests/scripts/chromium.mjs';

const [toolsDir, chromium, base, query] = process.argv.slice(2);
const { browser } = await launch(toolsDir, chromium);
const page = await browser.newPage();
let bytes = 0;
let hosted = 0;
let requests = 0;
const pending = [];
page.on('response', (r) => {
  if (!new URL(r.url()).pathname.includes('/pagefind/')) return;
  requests += 1;
  pending.push(r.body().then((b) => {
    bytes += b.length;
    hosted += /\.(js|json)$/.test(new URL(r.url()).pathname) ? gzipSync(b).length : b.length;
    if (process.env.SHOW) console.error(`${b.length}\t${new URL(r.url()).pathname}`);
  }, () => {}));
});
await page.goto(new URL('search/?q=' + encodeURIComponent(query), base).href);
await page.waitForFunction(() => /result|Nothing/.test(document.querySelector('[data-search-status]').textContent), null, { timeout: 60000 });
await Promise.all(pending);
const status = await page.textContent('[data-search-status]');
await browser.close();
console.log(`${Math.round(bytes / 1024)} KB (${Math.round(hosted / 1024)} KB gzipped by a host) in ${requests} requests (${status.trim()})`);

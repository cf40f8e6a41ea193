// Searches a built site's /search/ page in headless Chromium. Each argument is
// QUERY=PATH: the search for QUERY (read from ?q= on load) must list a result
// linking to PATH (under the base URL). Also: the header's field leads to the
// search page, the kind filter narrows the results, axe-core finds nothing on
// the page with results in light and dark, and no request leaves the site.
// Prints one line per problem and exits 1 when there is any. Usage:
//   node search_page.mjs TOOLS_DIR CHROMIUM BASE_URL QUERY=PATH...
import { launch } from './chromium.mjs';
import { readFileSync } from 'fs';

const [toolsDir, chromium, base, ...cases] = process.argv.slice(2);
const { browser, require } = await launch(toolsDir, chromium);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const problems = [];
const basePath = new URL(base).pathname;
let found = 0;

async function results(page) {
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-search-status]');
    return s && /result|Nothing found/.test(s.textContent);
  }, null, { timeout: 15000 });
  return page.$$eval('main .search-results li', (lis) => lis.map((li) => ({
    href: li.querySelector('a').getAttribute('href'),
    kind: li.querySelector('.search-kind').textContent,
    excerpt: li.querySelector('.search-excerpt').textContent,
  })));
}

try {
  await check();
} catch (e) {
  problems.push(`stopped: ${e.message.split('\n')[0]}`);
} finally {
  await browser.close();
}

async function check() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith(base)) outside.push(r.url()); });
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
  for (const c of cases) {
    const at = c.lastIndexOf('=');
    const [query, want] = [c.slice(0, at), basePath + c.slice(at + 1)];
    await page.goto(new URL('search/?q=' + encodeURIComponent(query), base).href);
    const list = await results(page);
    const value = await page.inputValue('main input[type=search]');
    if (value !== query) problems.push(`${query}: the field holds "${value}"`);
    const hit = list.find((r) => r.href === want);
    if (!hit) problems.push(`${query}: no result links to ${want} (got ${list.map((r) => r.href).join(', ') || 'none'})`);
    else {
      found += 1;
      console.log(`${query} -> ${hit.href} [${hit.kind}] ${hit.excerpt.slice(0, 60)}`);
    }
  }
  // The header's plain form leads to the search page with the words.
  await page.goto(base);
  await page.fill('header input[type=search]', 'tokio');
  await page.press('header input[type=search]', 'Enter');
  await page.waitForURL(/search\/\?q=tokio/);
  const viaHeader = await results(page);
  if (!viaHeader.length) problems.push('the header search found nothing for tokio');
  // Choosing a kind leaves only results of that kind, and says so.
  await page.goto(new URL('search/?q=rust', base).href);
  const all = await results(page);
  const kinds = new Set(all.map((r) => r.kind));
  if (kinds.size < 2) problems.push(`"rust" finds only kinds ${[...kinds]}`);
  await page.click('main label[for=search-kind-member]');
  await page.waitForFunction(() => / in Member/.test(document.querySelector('[data-search-status]').textContent));
  const members = await results(page);
  if (!members.length || members.some((r) => r.kind !== 'Member')) {
    problems.push(`the Member filter shows ${members.map((r) => r.kind)}`);
  }
  const status = await page.textContent('[data-search-status]');
  console.log(`filter: ${status.trim()}`);
  // Once a kind is chosen its results are counted on its chip.
  const chip = (await page.textContent('main label[for=search-kind-member] .count')).trim();
  if (!status.startsWith(`${chip} result`)) problems.push(`the Member chip counts "${chip}" for "${status.trim()}"`);
  // The page with its results, as a screen reader or a keyboard meets it.
  await page.addScriptTag({ content: axeSource });
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
      .violations.map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join('; ')}`));
    for (const v of violations) problems.push(`${colorScheme}: axe ${v}`);
  }
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width > 390) problems.push(`the search page is ${width} px wide on a 390 px phone`);
  for (const u of outside) problems.push(`a request left the site: ${u}`);
  await context.close();
}
for (const p of problems) console.log(p);
console.log(`${found} of ${cases.length} searches found their page, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);

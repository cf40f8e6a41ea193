// Searches each language's search page of a site in several languages (SPEC §5)
// in headless Chromium. Each argument is LANG|QUERY=PATH: searching QUERY on
// LANG's search page ("" for the default language's, else "fr/") must list a
// result linking to PATH, and every result must be in that language (under its
// folder, or at the root for the default language). Prints one line per problem
// and exits 1 when there is any. Usage:
//   node search_languages.mjs TOOLS_DIR CHROMIUM BASE_URL LANG|QUERY=PATH...
import { launch } from './chromium.mjs';

const [toolsDir, chromium, base, ...cases] = process.argv.slice(2);
const { browser } = await launch(toolsDir, chromium);
const basePath = new URL(base).pathname;
const folders = cases.map((c) => c.split('|')[0]).filter((l) => l);
const problems = [];
let found = 0;
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
  for (const c of cases) {
    const [lang, rest] = c.split('|');
    const at = rest.lastIndexOf('=');
    const [query, want] = [rest.slice(0, at), basePath + rest.slice(at + 1)];
    await page.goto(new URL(`${lang}search/?q=${encodeURIComponent(query)}`, base).href);
    await page.waitForFunction((q) => {
      const s = document.querySelector('[data-search-status]');
      // The status says what was found once the search ran (its <noscript>
      // advice is replaced).
      return s && !s.querySelector('noscript') && s.textContent.includes(q);
    }, query, { timeout: 15000 });
    const status = (await page.textContent('[data-search-status]')).trim();
    const hrefs = await page.$$eval('main .search-results li a', (as) => as.map((a) => a.getAttribute('href')));
    if (!hrefs.includes(want)) problems.push(`${lang}${query}: no result links to ${want} (got ${hrefs.join(', ') || 'none'})`);
    else found += 1;
    for (const h of hrefs) {
      const inFolder = lang ? h.startsWith(basePath + lang) : !folders.some((f) => h.startsWith(basePath + f));
      if (!inFolder) problems.push(`${lang || 'default'} ${query}: ${h} is another language's`);
    }
    console.log(`${lang}${query} -> ${hrefs.join(', ')} (${status})`);
  }
} catch (e) {
  problems.push(`stopped: ${e.message.split('\n')[0]}`);
} finally {
  await browser.close();
}
for (const p of problems) console.log(p);
console.log(`${found} of ${cases.length} searches found their page, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);

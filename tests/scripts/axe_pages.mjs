// Opens each page of a built site in headless Chromium on a 390 px phone, in light
// and in dark mode, runs axe-core on it and measures its width. Prints one line per
// problem and exits 1 when there is any. Usage:
//   node axe_pages.mjs TOOLS_DIR CHROMIUM BASE_URL PATH...
import { launch } from './chromium.mjs';
import { readFileSync } from 'fs';

const [toolsDir, chromium, base, ...paths] = process.argv.slice(2);
const { browser, require } = await launch(toolsDir, chromium);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const problems = [];
let checked = 0;
try {
  for (const scheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: scheme });
    const page = await context.newPage();
    const outside = [];
    page.on('request', (r) => { if (!r.url().startsWith(base)) outside.push(r.url()); });
    for (const p of paths) {
      const url = new URL(p, base).href;
      await page.goto(url, { waitUntil: 'load' });
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + (n.failureSummary ? ` (${n.failureSummary.split('\n').slice(1, 2).join('').trim()})` : '')),
        }));
      });
      for (const v of result) {
        problems.push(`${scheme} ${p}: axe ${v.id} (${v.impact}): ${v.targets.join('; ')}`);
      }
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) {
        const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > 391)
          .slice(0, 3)
          .map((e) => `${e.tagName.toLowerCase()}.${e.className}`));
        problems.push(`${scheme} ${p}: ${width} px wide on a 390 px phone (${wide.join(', ')})`);
      }
      checked += 1;
    }
    for (const u of outside) problems.push(`${scheme}: a request left the site: ${u}`);
    await context.close();
  }
} finally {
  await browser.close();
}
for (const p of problems) console.log(p);
console.log(`${checked} page views checked, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);

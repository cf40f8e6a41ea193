// The same queries through the same pagefind.js against two indexes of the same
// records: BASE/ours/pagefind/ (hearth's encoder) and BASE/theirs/pagefind/
// (Pagefind's own indexer). Each query must give the same number of results and
// the same result pages in the same order, with the same excerpts and sub-results
// (anchors), for the first 10 results. Prints one line per difference and exits 1
// when there is any. Usage:
//   node search_same.mjs TOOLS_DIR CHROMIUM BASE_URL QUERY...
import { launch } from './chromium.mjs';

const [toolsDir, chromium, base, ...queries] = process.argv.slice(2);
const { browser } = await launch(toolsDir, chromium);
const problems = [];
let same = 0;
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
  await page.goto(new URL('ours/', base).href);
  const results = await page.evaluate(async (queries) => {
    const load = async (which) => {
      const pf = await import(`/${which}/pagefind/pagefind.js`);
      await pf.options({ basePath: `/${which}/pagefind/`, baseUrl: '/', noWorker: true });
      await pf.init();
      return pf;
    };
    const [ours, theirs] = [await load('ours'), await load('theirs')];
    const run = async (pf, q) => {
      const r = await pf.search(q);
      const top = await Promise.all(r.results.slice(0, 10).map(async (x) => {
        const d = await x.data();
        return {
          url: d.url,
          score: Math.round(x.score * 1e6) / 1e6,
          excerpt: d.excerpt,
          title: d.meta.title,
          subs: d.sub_results.map((s) => `${s.url} ${s.excerpt}`),
        };
      }));
      return { count: r.results.length, top };
    };
    const out = [];
    for (const q of queries) out.push({ q, ours: await run(ours, q), theirs: await run(theirs, q) });
    return out;
  }, queries);
  for (const { q, ours, theirs } of results) {
    const a = JSON.stringify(ours);
    const b = JSON.stringify(theirs);
    if (a === b) {
      same += 1;
      console.log(`${q}: ${ours.count} results, first ${ours.top[0]?.url ?? '-'}`);
    } else {
      problems.push(`${q}: hearth ${ours.count} results [${ours.top.map((r) => `${r.url} ${r.score}`).join(', ')}]`
        + ` / Pagefind ${theirs.count} [${theirs.top.map((r) => `${r.url} ${r.score}`).join(', ')}]`);
      for (let i = 0; i < Math.max(ours.top.length, theirs.top.length); i++) {
        const [x, y] = [JSON.stringify(ours.top[i]), JSON.stringify(theirs.top[i])];
        if (x !== y) { problems.push(`  #${i + 1} hearth ${x}\n  #${i + 1} Pagefind ${y}`); break; }
      }
    }
  }
} catch (e) {
  problems.push(`stopped: ${e.message.split('\n')[0]}`);
} finally {
  await browser.close();
}
for (const p of problems) console.log(p);
console.log(`${same} of ${queries.length} queries gave the same results, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);

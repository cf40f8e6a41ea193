// Screenshots of pages for a person to look at: each path at 1280 and 390 px, in
// light and in dark mode, as PNGs in OUT_DIR. Not run by the tests. Usage:
//   node screenshots.mjs TOOLS_DIR CHROMIUM BASE_URL OUT_DIR PATH...
import { launch } from './chromium.mjs';

const [toolsDir, chromium, base, outDir, ...paths] = process.argv.slice(2);
const { browser } = await launch(toolsDir, chromium);
try {
  for (const width of [1280, 390]) {
    for (const scheme of ['light', 'dark']) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
      const page = await context.newPage();
      for (const p of paths) {
        await page.goto(new URL(p, base).href, { waitUntil: 'load' });
        // A search page shows its results a moment after it loads.
        if (p.includes('?q=')) await page.waitForTimeout(1500);
        const name = (p.replace(/\/$/, '').replace(/\//g, '_') || 'home') + `-${width}-${scheme}.png`;
        await page.screenshot({ path: `${outDir}/${name}`, fullPage: false });
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
}

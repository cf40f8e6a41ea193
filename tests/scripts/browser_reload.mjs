// Opens a page served by `hearth serve` in headless Chromium, edits its source file,
// and waits for the new text to appear without reloading by hand. A tab on LIST_URL
// (a list that shows the page) must show it too, and a tab on OTHER_URL (a page the
// edit does not touch) must not reload. Then checks the page's card image loads at
// 1200×630. Usage:
//   node browser_reload.mjs TOOLS_DIR CHROMIUM URL FILE OLD_TEXT NEW_TEXT LIST_URL OTHER_URL
import { launch } from './chromium.mjs';
import { readFileSync, writeFileSync } from 'fs';

const [toolsDir, chromium, url, file, oldText, newText, listUrl, otherUrl] = process.argv.slice(2);
const { browser } = await launch(toolsDir, chromium);

const fail = (msg) => { console.error(msg); process.exit(1); };
try {
  const page = await browser.newPage();
  await page.goto(url);
  const before = await page.textContent('main');
  if (!before.includes(oldText)) fail(`page does not show "${oldText}" at first`);
  const list = await browser.newPage();
  await list.goto(listUrl);
  const other = await browser.newPage();
  await other.goto(otherUrl);
  await other.evaluate(() => { window.hearthNotReloaded = true; });

  writeFileSync(file, readFileSync(file, 'utf8').replace(oldText, newText));
  const shows = async (tab, what) => {
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      try {
        if ((await tab.textContent('main')).includes(newText)) return;
      } catch (e) { /* the tab is reloading */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    fail(`${what} did not show "${newText}" within 5 s`);
  };
  await shows(page, 'the page');
  await shows(list, 'the list');
  await new Promise((r) => setTimeout(r, 500));
  if (!(await other.evaluate(() => window.hearthNotReloaded === true))) {
    fail('a tab the edit does not touch reloaded');
  }

  const card = await page.getAttribute('meta[property="og:image"]', 'content');
  if (!card) fail('no og:image');
  const size = await page.evaluate(async (src) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    return [img.naturalWidth, img.naturalHeight];
  }, card);
  if (size[0] !== 1200 || size[1] !== 630) fail(`card is ${size.join('×')}`);
  console.log('ok');
} finally {
  await browser.close();
}

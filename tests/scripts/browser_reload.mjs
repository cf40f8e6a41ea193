// Opens a page served by `hearth serve` in headless Chromium, edits its source file,
// and waits for the new text to appear without reloading by hand. Then checks the
// page's card image loads at 1200×630. Usage:
//   node browser_reload.mjs TOOLS_DIR CHROMIUM URL FILE OLD_TEXT NEW_TEXT
import { launch } from './chromium.mjs';
import { readFileSync, writeFileSync } from 'fs';

const [toolsDir, chromium, url, file, oldText, newText] = process.argv.slice(2);
const { browser } = await launch(toolsDir, chromium);

const fail = (msg) => { console.error(msg); process.exit(1); };
try {
  const page = await browser.newPage();
  await page.goto(url);
  const before = await page.textContent('main');
  if (!before.includes(oldText)) fail(`page does not show "${oldText}" at first`);

  writeFileSync(file, readFileSync(file, 'utf8').replace(oldText, newText));
  const deadline = Date.now() + 5000;
  let seen = false;
  while (Date.now() < deadline && !seen) {
    try {
      seen = (await page.textContent('main')).includes(newText);
    } catch (e) { /* the page is reloading */ }
    if (!seen) await new Promise((r) => setTimeout(r, 100));
  }
  if (!seen) fail(`the page did not show "${newText}" within 5 s`);

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

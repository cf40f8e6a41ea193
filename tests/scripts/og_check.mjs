// Reads Open Graph and Twitter tags back from built pages with open-graph-scraper
// (npm), the parser many link-preview services use. Usage:
//   node og_check.mjs TOOLS_DIR SITE_DIR page.html...
// Prints one JSON object per page.
import { createRequire } from 'module';
import { readFileSync } from 'fs';
import path from 'path';

const [toolsDir, siteDir, ...pages] = process.argv.slice(2);
const require = createRequire(path.join(toolsDir, 'package.json'));
const ogsModule = require('open-graph-scraper');
const ogs = ogsModule.default || ogsModule;
const out = {};
for (const page of pages) {
  const html = readFileSync(path.join(siteDir, page), 'utf8');
  const { result } = await ogs({ html });
  out[page] = result;
}
console.log(JSON.stringify(out));

// The headless Chromium every browser script drives: Debian's (or $CHROMIUM's, as
// the Rust side passes it), through npm's playwright-core from TOOLS_DIR, with the
// flags a closed network needs (without the background-networking ones Chromium
// keeps dialling out). Playwright gives every launch a fresh, empty profile.
// `require` resolves the other npm packages in TOOLS_DIR (axe-core).
import { createRequire } from 'module';
import path from 'path';

export async function launch(toolsDir, chromium) {
  const require = createRequire(path.resolve(toolsDir, 'package.json'));
  const { chromium: browserType } = require('playwright-core');
  const browser = await browserType.launch({
    executablePath: chromium,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  return { browser, require };
}

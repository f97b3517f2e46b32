// How every tool of the project starts Debian's Chromium (the test runner, the demo test, the bench):
// as root it needs --no-sandbox; without the networking flags it tries to reach hosts this network
// refuses (see TOOLCHAIN.md).
export const CHROMIUM_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

// Tabs beside the test page, for tests of what several tabs of one origin share
// (`<mqtt-connection shared>`): real pages of the same browser, opened, read, closed or crashed from a
// test through `executeServerCommand` (see test/tabs.ts). The test page stays in front, as the
// user's tab would; the others are background tabs.
/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function tabsPlugin() {
  /** @type {Map<number, import('puppeteer-core').Page>} */
  const tabs = new Map();
  let next = 0;
  const tab = (id) => {
    const page = tabs.get(id);
    if (!page) throw new Error(`no tab ${id}`);
    return page;
  };
  const commands = {
    // Opens `path` (on the test page's origin) in a new tab; resolves with its id once it has loaded.
    'tab-open': async ({ path }, testPage) => {
      const page = await testPage.browser().newPage();
      const id = ++next;
      tabs.set(id, page);
      await page.goto(new URL(path, testPage.url()).href);
      await testPage.bringToFront();
      return id;
    },
    // Evaluates `script` (an expression; a promise is awaited) in the tab, answering `{ value }`: the
    // runner takes an answer of undefined or null for a command nobody handles.
    'tab-eval': async ({ id, script }) => ({ value: await tab(id).evaluate(script) }),
    // Navigates the tab to `path`, and back (a page may be kept in the back/forward cache meanwhile).
    'tab-goto': async ({ id, path }, testPage) => {
      await tab(id).goto(new URL(path, testPage.url()).href);
      return true;
    },
    'tab-back': async ({ id }) => {
      await tab(id).goBack();
      return true;
    },
    // Closes the tab as a user does (its page is unloaded).
    'tab-close': async ({ id }) => {
      await tab(id).close();
      tabs.delete(id);
      return true;
    },
    // Kills the tab's renderer: no unload, no goodbye (a crash, or the tab's process killed).
    'tab-crash': async ({ id }) => {
      const page = tab(id);
      tabs.delete(id);
      // puppeteer reports a crashed renderer as the page's `error` event.
      const crashed = new Promise((resolve) => page.once('error', () => resolve(true)));
      const cdp = await page.createCDPSession();
      void cdp.send('Page.crash').catch(() => {});
      const result = await Promise.race([crashed, new Promise((resolve) => setTimeout(() => resolve(false), 5000))]);
      if (!result) throw new Error(`tab ${id} did not crash`);
      await page.close().catch(() => {});
      return true;
    },
    'tab-close-all': async () => {
      await Promise.all([...tabs.values()].map((page) => page.close().catch(() => {})));
      tabs.clear();
      return true;
    },
  };
  return {
    name: 'tabs',
    async executeCommand({ command, payload, session }) {
      const run = commands[command];
      if (!run) return undefined;
      return run(payload ?? {}, session.browser.getPage(session.id));
    },
    async serverStop() {
      await commands['tab-close-all']();
    },
  };
}

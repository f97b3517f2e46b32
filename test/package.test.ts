import { expect } from '@open-wc/testing';
import { fixtureShowsValue, loadFixture } from './helpers.js';

// build/pack/app is the scratch project into which `npm test` installs the packed tarball
// (scripts/check-package.mjs runs before the browser tests).
describe('the npm package, installed from its tarball', () => {
  it('runs its ESM entry in a page, with its dependencies resolved from the install', async () => {
    const { frame, doc, win } = await loadFixture('package.html').catch((error: Error) => {
      throw new Error(
        `${error.message}. Run npm test, or node scripts/check-package.mjs first: it installs the package.`
      );
    });
    const imported = win.performance.getEntriesByType('resource').map((entry) => entry.name);
    expect(
      imported.some((name) => name.includes('/build/pack/app/node_modules/lit')),
      'lit came from the install'
    ).to.be.true;
    await fixtureShowsValue(doc, 'package');
    frame.remove();
  });
});

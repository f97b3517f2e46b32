import { expect } from '@open-wc/testing';
import { fixtureShowsValue, loadFixture } from './helpers.js';

// dist/mqtt-elements.min.js is built by `npm test` before the browser tests run.
describe('dist/mqtt-elements.min.js (the CDN bundle)', () => {
  it('runs a plain HTML page with one <script type="module"> and nothing else', async () => {
    const { frame, doc } = await loadFixture('bundle.html');
    const value = await fixtureShowsValue(doc, 'bundle');
    expect(value.shadowRoot!.querySelector('[part=unit]')!.textContent).to.equal('°C');
    frame.remove();
  });
});

import { expect } from '@open-wc/testing';
import { langLocale, numberFormat, timeFormat, validLocale } from '../src/lib/intl.js';

describe('locales and formatters (DOM-free)', () => {
  it('accepts language tags and refuses what is not one', () => {
    expect(validLocale('de-ch')).to.equal('de-CH');
    expect(validLocale('en_US')).to.equal(undefined);
    expect(validLocale('')).to.equal(undefined);
  });

  it("reads a page's lang leniently: en_US as en-US, nonsense as the browser's", () => {
    expect(langLocale('en_US')).to.equal('en-US');
    expect(langLocale(' fr-FR ')).to.equal('fr-FR');
    expect(langLocale('zz_!!')).to.equal(undefined);
    expect(langLocale('')).to.equal(undefined);
    expect(langLocale(null)).to.equal(undefined);
  });

  it('shares one formatter per locale and digits', () => {
    expect(numberFormat('de-DE', 2)).to.equal(numberFormat('de-DE', 2));
    expect(numberFormat('de-DE', 2)).not.to.equal(numberFormat('de-DE', 1));
    expect(numberFormat('de-DE', 2).format(1234.5)).to.equal('1.234,50');
    expect(numberFormat('en-US').format(1 / 3)).to.equal('0.333333');
    expect(timeFormat('en-GB', 'seconds')).to.equal(timeFormat('en-GB', 'seconds'));
    expect(timeFormat('en-GB', 'minutes').format(Date.UTC(2026, 0, 1, 12, 4, 30))).to.match(/^\d\d:\d\d$/);
  });
});

import { isSourceHost } from './source-links.js';

describe('isSourceHost', () => {
  it.each([
    'camden.gov.uk',
    'www.ons.gov.uk',
    'gov.uk',
    'data.gov',
    'census.gov',
    'ox.ac.uk',
    'mit.edu',
    'army.mil',
    'who.int',
    'service-public.gouv.fr',
    'justice.gob.es',
    'en.wikipedia.org',
    'wikipedia.org',
    'www.bbc.co.uk',
    'petition.parliament.uk',
    'www.nao.org.uk',
    'WWW.REUTERS.COM',
    'www2.ons.gov.uk',
    'awww.gov.uk',
  ])('%s is a source', (host) => {
    expect(isSourceHost(host)).toBe(true);
  });

  it.each([
    'youtube.com',
    'bit.ly',
    'gov',
    'uk',
    'govt-grants.example',
    'my-gov.uk.example',
    'notbbc.co.uk',
    'wikipedia.org.example',
    'cash-now.biz',
    'gov.uk.phish.example',
    'edu.example',
    'www1.gov',
    'www.gov',
    '',
  ])('%s is not', (host) => {
    expect(isSourceHost(host)).toBe(false);
  });
});

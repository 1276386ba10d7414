/**
 * Links to sources: public bodies, universities, courts, parliaments, encyclopaedias and
 * established news organisations. A news reader citing one is not advertising, so the spam
 * classifier does not read such a link as a spam cue (the YouTube training data taught it
 * that any link is one): it gets its own marker instead of the link count, and its address is
 * not read as words.
 */

/** Suffixes of public-sector and academic hosts in any country (`.gov`, `.gov.uk`, `.ac.uk`). */
const PUBLIC_SUFFIX =
  /(?:^|\.)(?:gov|gouv|gob|govt|edu|ac|mil|int|judiciary|parliament|nhs|police)(?:\.[a-z]{2})?$/;

/** Hosts (and their subdomains) of well-known sources. */
export const SOURCE_HOSTS: ReadonlySet<string> = new Set([
  'europa.eu',
  'un.org',
  'who.int',
  'oecd.org',
  'imf.org',
  'worldbank.org',
  'parliament.uk',
  'nao.org.uk',
  'ifs.org.uk',
  'bankofengland.co.uk',
  'federalreserve.gov',
  'judiciary.uk',
  'nhs.uk',
  'police.uk',
  'legislation.gov.uk',
  'wikipedia.org',
  'wikimedia.org',
  'doi.org',
  'arxiv.org',
  'nature.com',
  'science.org',
  'thelancet.com',
  'bmj.com',
  'ncbi.nlm.nih.gov',
  'bbc.co.uk',
  'bbc.com',
  'reuters.com',
  'apnews.com',
  'afp.com',
  'theguardian.com',
  'ft.com',
  'economist.com',
  'nytimes.com',
  'washingtonpost.com',
  'wsj.com',
  'npr.org',
  'pbs.org',
  'aljazeera.com',
  'dw.com',
  'lemonde.fr',
  'spiegel.de',
  'elpais.com',
  'abc.net.au',
  'cbc.ca',
  'fullfact.org',
  'politifact.com',
  'snopes.com',
]);

/** Whether a host (lower case, without `www.`) is a source (see the module comment). */
export function isSourceHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^www\d?\./, '');
  if (!h.includes('.')) return false;
  if (PUBLIC_SUFFIX.test(h)) return true;
  const parts = h.split('.');
  for (let i = 0; i < parts.length - 1; i++) {
    if (SOURCE_HOSTS.has(parts.slice(i).join('.'))) return true;
  }
  return false;
}

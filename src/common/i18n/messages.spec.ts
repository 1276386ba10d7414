import { Messages, pickLanguage, type CatalogueOf } from './messages.js';

/** The shared catalogue mechanism, as server pages and mails would use it. */
const en = {
  subject: 'Reply to your comment on {site}',
  replies: { one: '{n} new reply', other: '{n} new replies' },
};
const de: CatalogueOf<typeof en> = {
  subject: 'Antwort auf Ihren Kommentar auf {site}',
  replies: { one: '{n} neue Antwort', other: '{n} neue Antworten' },
};

describe('Messages (src/common/i18n)', () => {
  it('fills placeholders and picks the plural form of the language', () => {
    const m = new Messages('de', de, en);
    expect(m.t('subject', { site: 'Gazette' })).toBe('Antwort auf Ihren Kommentar auf Gazette');
    expect(m.t('replies', { n: 1 })).toBe('1 neue Antwort');
    expect(m.t('replies', { n: 1200 })).toBe('1.200 neue Antworten');
    expect(m.dir).toBe('ltr');
  });

  it('falls back to the source message for a key a catalogue lacks at run time', () => {
    const partial = { subject: 'Sujet {site}' } as unknown as CatalogueOf<typeof en>;
    const m = new Messages('fr', partial, en);
    expect(m.t('replies', { n: 2 })).toBe('2 new replies');
    expect(m.t('subject')).toBe('Sujet {site}'); // an unknown placeholder stays visible
  });

  it('formats dates with Intl.DateTimeFormat in the language, and knows right-to-left', () => {
    const iso = '2026-03-01T10:00:00.000Z';
    expect(new Messages('de', de, en).date(iso)).toBe(
      new Intl.DateTimeFormat('de', {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      }).format(new Date(iso)),
    );
    expect(new Messages('de', de, en).date('not a date')).toBe('');
    expect(new Messages('ar', de, en).dir).toBe('rtl');
  });

  it('picks the first available language by primary subtag, else the fallback', () => {
    expect(pickLanguage(['de-CH', 'en'], new Set(['en', 'de']))).toBe('de');
    expect(pickLanguage([null, 'pt'], ['en', 'de'])).toBe('en');
    expect(pickLanguage(['pt'], ['es'], 'es')).toBe('es');
  });
});

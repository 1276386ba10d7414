import { en } from '../../widget/src/i18n/en.js';
import { CATALOGUES, Messages, pickLanguage } from '../../widget/src/i18n/index.js';

/** The widget's message catalogues (widget/src/i18n) and their plural and language rules. */
describe('the widget message catalogues', () => {
  const languages = Object.keys(CATALOGUES);

  it('cover at least English, German, French, Spanish and Arabic', () => {
    expect(languages).toEqual(expect.arrayContaining(['en', 'de', 'fr', 'es', 'ar']));
  });

  it.each(languages)('%s has every message of the English source, in the same form', (lang) => {
    const catalogue = CATALOGUES[lang] as Record<string, unknown>;
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
    for (const [key, source] of Object.entries(en)) {
      const message = catalogue[key];
      expect({ key, type: typeof message }).toEqual({ key, type: typeof source });
      if (typeof message === 'string')
        expect({ key, empty: message.trim() === '' }).toEqual({ key, empty: false });
      // Placeholders other than {n} are the same as in English.
      const names = (text: unknown) =>
        [...JSON.stringify(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((n) => n !== 'n');
      expect({ key, names: [...new Set(names(message))].sort() }).toEqual({
        key,
        names: [...new Set(names(source))].sort(),
      });
    }
  });

  it.each(languages)('%s has a form for every plural category its language uses', (lang) => {
    const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    for (const [key, message] of Object.entries(CATALOGUES[lang])) {
      if (typeof message === 'string') continue;
      for (const category of categories) {
        // `other` may stand for a category whose text is the same (e.g. German has none extra).
        const form = (message as Record<string, string>)[category] ?? message.other;
        expect({ key, category, form: typeof form }).toEqual({ key, category, form: 'string' });
      }
      // Arabic needs its own words for 1, 2, 3–10 and 11–99.
      if (lang === 'ar') {
        expect({ key, forms: Object.keys(message).sort() }).toEqual({
          key,
          forms: ['few', 'many', 'one', 'other', 'two', 'zero'],
        });
      }
    }
  });

  it('picks plural forms with Intl.PluralRules and formats numbers for the language', () => {
    const n = (lang: string, count: number) => new Messages(lang).t('count', { n: count });
    expect([1, 2, 1000].map((c) => n('en', c))).toEqual([
      '1 Comment',
      '2 Comments',
      '1,000 Comments',
    ]);
    expect([1, 2, 1000].map((c) => n('de', c))).toEqual([
      '1 Kommentar',
      '2 Kommentare',
      '1.000 Kommentare',
    ]);
    // French: 0 and 1 are singular; a million takes "de".
    expect([0, 1, 2, 1_000_000].map((c) => n('fr', c))).toEqual([
      '0 commentaire',
      '1 commentaire',
      '2 commentaires',
      `${new Intl.NumberFormat('fr').format(1_000_000)} de commentaires`,
    ]);
    expect([1, 5].map((c) => n('es', c))).toEqual(['1 comentario', '5 comentarios']);
    // Arabic: one, two, few (3–10), many (11–99), other (100…), in the digits its locale uses.
    const ar = (x: number) => new Intl.NumberFormat('ar').format(x);
    expect([1, 2, 3, 11, 100].map((c) => n('ar', c))).toEqual([
      'تعليق واحد',
      'تعليقان',
      `${ar(3)} تعليقات`,
      `${ar(11)} تعليقًا`,
      `${ar(100)} تعليق`,
    ]);
  });

  it('fills named placeholders as plain text', () => {
    expect(new Messages('de').t('replyTo', { name: '<b>Ann</b>' })).toBe('Antwort an <b>Ann</b>');
    expect(new Messages('en').t('tooQuicklyIn', { n: 1 })).toMatch(/in 1 second\.$/);
    expect(new Messages('en').t('tooQuicklyIn', { n: 30 })).toMatch(/in 30 seconds\.$/);
  });

  it('writes Arabic right to left and the others left to right', () => {
    expect(new Messages('ar').dir).toBe('rtl');
    for (const lang of ['en', 'de', 'fr', 'es']) expect(new Messages(lang).dir).toBe('ltr');
  });

  it('chooses data-lang, then the page language, then the browser’s, then English', () => {
    expect(pickLanguage(['de', 'fr', 'es'])).toBe('de');
    expect(pickLanguage([undefined, 'fr-CA', 'es'])).toBe('fr');
    expect(pickLanguage(['', null, 'es-419'])).toBe('es');
    expect(pickLanguage(['xx', 'AR-EG'])).toBe('ar');
    expect(pickLanguage(['pt-BR', 'zh'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
  });
});

import { ConfigError, loadConfig, mailFromAddress } from './app.config.js';

describe('loadConfig: mail', () => {
  it('sends no mail by default, from Comments <comments@localhost>, with links to localhost:PORT', () => {
    const { mail } = loadConfig({ PORT: '3118' });
    expect(mail).toEqual({
      smtpUrl: null,
      from: 'Comments <comments@localhost>',
      returnPath: null,
      publicUrl: 'http://localhost:3118',
      replyIntervalMs: 600_000,
    });
  });

  it('reads SMTP_URL, MAIL_FROM, MAIL_RETURN_PATH, PUBLIC_URL and REPLY_MAIL_INTERVAL_S', () => {
    const { mail } = loadConfig({
      SMTP_URL: 'smtp://mailpit:1025',
      MAIL_FROM: 'The Paper <comments@paper.example>',
      MAIL_RETURN_PATH: 'bounces@paper.example',
      PUBLIC_URL: 'https://comments.paper.example/',
      REPLY_MAIL_INTERVAL_S: '60',
    });
    expect(mail).toEqual({
      smtpUrl: 'smtp://mailpit:1025',
      from: 'The Paper <comments@paper.example>',
      returnPath: 'bounces@paper.example',
      publicUrl: 'https://comments.paper.example',
      replyIntervalMs: 60_000,
    });
    expect(mailFromAddress(mail.from)).toBe('comments@paper.example');
    expect(mailFromAddress('plain@paper.example')).toBe('plain@paper.example');
  });

  it('names every bad mail variable', () => {
    try {
      loadConfig({
        SMTP_URL: 'http://nope',
        MAIL_FROM: 'no address',
        MAIL_RETURN_PATH: 'Name <a@b>',
        PUBLIC_URL: 'ftp://x',
      });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as ConfigError).problems.join('\n');
      for (const name of ['SMTP_URL', 'MAIL_FROM', 'MAIL_RETURN_PATH', 'PUBLIC_URL']) {
        expect(text).toContain(name);
      }
    }
  });
});

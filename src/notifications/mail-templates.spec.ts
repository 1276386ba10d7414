import { commentUrl } from './notification-mailer.service.js';
import { digestMail, replyMail } from './mail-templates.js';

describe('mail templates', () => {
  it('escapes readers’ text in the HTML part and keeps it plain in the text part', () => {
    const mail = replyMail({
      siteName: 'News & Co',
      replies: [{ authorName: '<img src=x>', body: '<script>x</script> & more', url: null }],
      unsubscribeUrl: 'https://c.example/v1/subscriptions/unsubscribe?token=u.1',
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img src=x>');
    expect(mail.html).toContain('&lt;script&gt;x&lt;/script&gt; &amp; more');
    expect(mail.text).toContain('> <script>x</script> & more');
    expect(mail.text).toContain('Stop these mails: https://c.example/v1/subscriptions/unsubscribe');
  });

  it('names the count of replies in a batch', () => {
    const mail = replyMail({
      siteName: 'S',
      replies: [
        { authorName: 'A', body: 'one', url: 'https://s.example/a#1' },
        { authorName: 'B', body: 'two', url: 'https://s.example/a#2' },
      ],
      unsubscribeUrl: 'https://c.example/u',
    });
    expect(mail.subject).toBe('2 new replies to your comments on S');
    expect(mail.text).toContain('https://s.example/a#2');
  });

  it('lists held comments in the digest with the console link', () => {
    const mail = digestMail({
      siteName: 'S',
      held: [{ authorName: null, articleId: 'a-1', body: 'held <b>text</b>' }],
      more: true,
      consoleUrl: 'https://c.example/moderate',
    });
    expect(mail.subject).toBe('1+ comment waiting for moderation on S');
    expect(mail.html).toContain('held &lt;b&gt;text&lt;/b&gt;');
    expect(mail.text).toContain('https://c.example/moderate');
  });

  it('fills the article URL placeholders, encoded', () => {
    expect(commentUrl('https://n.example/{articleId}#c-{commentId}', 'a b', 'id1')).toBe(
      'https://n.example/a%20b#c-id1',
    );
    expect(commentUrl(null, 'a', 'b')).toBeNull();
  });
});

import { randomUUID } from 'node:crypto';
import type { ArgumentMetadata } from '@nestjs/common';
import { ValidationFailedError } from '../../../common/errors/domain.errors.js';
import { createValidationPipe } from '../../../common/http/validation.js';
import { SubmitCommentDto } from './submit-comment.dto.js';

const pipe = createValidationPipe();
const metadata: ArgumentMetadata = { type: 'body', metatype: SubmitCommentDto };

const valid = (): Record<string, unknown> => ({
  name: 'Ann',
  email: 'ann@example.com',
  website: 'https://ann.example',
  body: 'Thanks for the piece.',
  parentId: null,
});

async function submit(body: unknown): Promise<SubmitCommentDto> {
  return (await pipe.transform(body, metadata)) as SubmitCommentDto;
}

/** The ValidationFailedError the pipe throws for `body`; fails the test when it accepts it. */
async function rejectionOf(body: unknown): Promise<ValidationFailedError> {
  try {
    await submit(body);
  } catch (error) {
    if (error instanceof ValidationFailedError) return error;
    throw error;
  }
  throw new Error(`the pipe accepted ${JSON.stringify(body)}`);
}

async function fieldsRejected(body: unknown): Promise<string[]> {
  return [...new Set((await rejectionOf(body)).errors.map((e) => e.field))];
}

describe('SubmitCommentDto validation', () => {
  describe('a valid submission', () => {
    it('passes and becomes a SubmitCommentDto', async () => {
      const dto = await submit(valid());
      expect(dto).toBeInstanceOf(SubmitCommentDto);
      expect(dto).toMatchObject({
        name: 'Ann',
        email: 'ann@example.com',
        website: 'https://ann.example',
        body: 'Thanks for the piece.',
        parentId: null,
      });
    });

    it('is trimmed', async () => {
      const dto = await submit({
        name: '  Ann  ',
        email: ' ann@example.com\n',
        website: '  https://ann.example  ',
        body: '\n  Thanks for the piece.  \n',
      });
      expect(dto.name).toBe('Ann');
      expect(dto.email).toBe('ann@example.com');
      expect(dto.website).toBe('https://ann.example');
      expect(dto.body).toBe('Thanks for the piece.');
    });

    it('accepts the smallest submission: name, email and body', async () => {
      const dto = await submit({ name: 'A', email: 'a@b.co', body: 'x' });
      expect(dto.website).toBeUndefined();
      expect(dto.parentId).toBeUndefined();
    });

    it('drops an empty website', async () => {
      for (const website of ['', '   ']) {
        const dto = await submit({ ...valid(), website });
        expect(dto.website).toBeUndefined();
        expect(dto).not.toHaveProperty('website', website);
      }
    });

    it('accepts parentId null', async () => {
      expect((await submit({ ...valid(), parentId: null })).parentId).toBeNull();
    });

    it('accepts a UUID parentId', async () => {
      const parentId = randomUUID();
      expect((await submit({ ...valid(), parentId })).parentId).toBe(parentId);
    });

    it('accepts an empty honeypot and an altcha payload', async () => {
      const dto = await submit({ ...valid(), hp: '', altcha: 'eyJhbGdvcml0aG0iOiJTSEEtMjU2In0=' });
      expect(dto.hp).toBe('');
      expect(dto.altcha).toBe('eyJhbGdvcml0aG0iOiJTSEEtMjU2In0=');
    });

    it('accepts a filled honeypot, so a bot learns nothing', async () => {
      expect((await submit({ ...valid(), hp: 'http://spam.example' })).hp).toBe(
        'http://spam.example',
      );
    });

    it('accepts a body of exactly 10000 characters and a name of 100', async () => {
      const dto = await submit({ ...valid(), name: 'n'.repeat(100), body: 'b'.repeat(10000) });
      expect(dto.body).toHaveLength(10000);
      expect(dto.name).toHaveLength(100);
    });

    it('accepts an http website', async () => {
      expect((await submit({ ...valid(), website: 'http://ann.example/blog?x=1' })).website).toBe(
        'http://ann.example/blog?x=1',
      );
    });
  });

  describe('refusing invalid fields', () => {
    it('throws a ValidationFailedError listing { field, message }', async () => {
      const error = await rejectionOf({ ...valid(), email: 'nope' });
      expect(error.status).toBe(400);
      expect(error.errors).toEqual([{ field: 'email', message: expect.any(String) }]);
    });

    it.each([
      ['name is empty', { name: '' }],
      ['name is whitespace only', { name: '   ' }],
      ['name is too long', { name: 'n'.repeat(101) }],
      ['name has a control character', { name: 'Ann\u0000' }],
      ['name has a newline', { name: 'Ann\nSmith' }],
      ['name has a bell', { name: 'Ann\u0007' }],
      ['name is missing', { name: undefined }],
      ['name is not a string', { name: 42 }],
    ])('names the name field when %s', async (_case, change) => {
      expect(await fieldsRejected({ ...valid(), ...change })).toEqual(['name']);
    });

    it.each([
      ['email is not an address', { email: 'not-an-email' }],
      ['email has no domain', { email: 'ann@' }],
      ['email is empty', { email: '' }],
      ['email is missing', { email: undefined }],
      [
        'email is too long',
        { email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com` },
      ],
      ['email is not a string', { email: ['ann@example.com'] }],
    ])('names the email field when %s', async (_case, change) => {
      expect(await fieldsRejected({ ...valid(), ...change })).toEqual(['email']);
    });

    it.each([
      ['website is javascript:', { website: 'javascript:alert(1)' }],
      ['website is ftp', { website: 'ftp://files.example/x' }],
      ['website is a data: URL', { website: 'data:text/html,<script>alert(1)</script>' }],
      ['website has no scheme', { website: 'ann.example' }],
      ['website is too long', { website: `https://ann.example/${'p'.repeat(2030)}` }],
      ['website is not a string', { website: 7 }],
    ])('names the website field when %s', async (_case, change) => {
      expect(await fieldsRejected({ ...valid(), ...change })).toEqual(['website']);
    });

    it.each([
      ['body is empty', { body: '' }],
      ['body is whitespace only', { body: ' \n\t ' }],
      ['body is too long', { body: 'b'.repeat(10001) }],
      ['body is missing', { body: undefined }],
      ['body is not a string', { body: { html: '<p>x</p>' } }],
    ])('names the body field when %s', async (_case, change) => {
      expect(await fieldsRejected({ ...valid(), ...change })).toEqual(['body']);
    });

    it.each([
      ['not a UUID', 'not-a-uuid'],
      ['a number', 12],
      ['an empty string', ''],
      ['a UUID with junk', `${randomUUID()}x`],
    ])('names the parentId field when parentId is %s', async (_case, parentId) => {
      expect(await fieldsRejected({ ...valid(), parentId })).toEqual(['parentId']);
    });

    it.each(['status', 'spamScore', 'siteId', 'createdAt'])(
      'refuses the unknown field %s by name',
      async (field) => {
        const error = await rejectionOf({ ...valid(), [field]: 'approved' });
        expect(error.errors).toEqual([{ field, message: 'is not allowed' }]);
      },
    );

    it('reports every bad field at once', async () => {
      expect(
        (
          await fieldsRejected({
            name: '',
            email: 'x',
            website: 'ftp://x',
            body: '',
            status: 'approved',
          })
        ).sort(),
      ).toEqual(['body', 'email', 'name', 'status', 'website']);
    });

    it.each([null, 'a string', 42, []])(
      'refuses a body that is not an object: %j',
      async (body) => {
        await expect(submit(body)).rejects.toBeInstanceOf(ValidationFailedError);
      },
    );
  });

  describe('messages', () => {
    it.each([
      ['email', { email: 'secret.person+tag@@example.com' }, 'secret.person'],
      ['email', { email: `${'z'.repeat(250)}@example.com` }, 'zzzzzzzzzz'],
      ['website', { website: 'javascript:alert(document.cookie)' }, 'document.cookie'],
      ['name', { name: 'Secret\u0001Name' }, 'Secret'],
      ['body', { body: 'confidential '.repeat(800) }, 'confidential'],
      ['parentId', { parentId: 'private-parent-ref' }, 'private-parent-ref'],
      ['status', { status: 'approved-by-mallory' }, 'mallory'],
    ])('never repeat the submitted %s', async (_field, change, needle) => {
      const error = await rejectionOf({ ...valid(), ...change });
      const text = JSON.stringify({ errors: error.errors, detail: error.message });
      expect(text).not.toContain(needle);
    });

    it('name the field in the message', async () => {
      const error = await rejectionOf({ name: '', email: 'x', website: 'ftp://x', body: '' });
      for (const { field, message } of error.errors) {
        expect(message).toContain(field);
      }
    });
  });
});

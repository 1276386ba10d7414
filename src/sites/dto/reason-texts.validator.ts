import { registerDecorator, type ValidationOptions } from 'class-validator';

/** A statement-of-reasons code: lower-case words joined by hyphens. */
export const REASON_CODE_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
const MAX_CODES = 50;
const MAX_TEXT = 1000;

/** Why a reasons map is not valid, or null when it is. */
export function reasonTextsProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'reasons must be an object of code → public text';
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_CODES) return `reasons may have at most ${MAX_CODES} codes`;
  for (const [code, text] of entries) {
    if (!REASON_CODE_PATTERN.test(code)) {
      return `reason code "${code.slice(0, 40)}" must match ${REASON_CODE_PATTERN.source}`;
    }
    if (typeof text !== 'string' || text.trim().length === 0 || text.length > MAX_TEXT) {
      return `the text of reason "${code}" must be 1 to ${MAX_TEXT} characters`;
    }
  }
  return null;
}

/** `moderation.reasons`: up to 50 codes, each with a public text of 1–1000 characters. */
export function IsReasonTexts(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isReasonTexts',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => reasonTextsProblem(value) === null,
        defaultMessage: (args) => reasonTextsProblem(args?.value) ?? 'reasons are not valid',
      },
    });
  };
}

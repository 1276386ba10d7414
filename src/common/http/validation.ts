import {
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError,
  type ValidationPipeOptions,
} from '@nestjs/common';
import { ValidationFailedError, type FieldError } from '../errors/domain.errors.js';

/** Flattens class-validator's nested errors into `{ field: "a.b.c", message }`. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({
        field,
        message: message.replace(/^property \S+ should not exist$/, 'is not allowed'),
      });
    }
    if (error.children?.length) out.push(...toFieldErrors(error.children, field));
  }
  return out;
}

/** A body must be a JSON object (an array or a scalar would reach class-transformer as is). */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (
      metadata.type === 'body' &&
      (typeof value !== 'object' || value === null || Array.isArray(value))
    ) {
      throw new ValidationFailedError([
        { field: 'body', message: 'the body must be a JSON object' },
      ]);
    }
    return super.transform(value, metadata);
  }
}

/** The one validation pipe: whitelist, unknown fields refused, payloads transformed to DTOs. */
export function createValidationPipe(extra: ValidationPipeOptions = {}): ValidationPipe {
  return new ApiValidationPipe({
    ...extra,
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    // Never echo submitted values back (they may be an email address).
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(toFieldErrors(errors)),
  });
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One invalid field of a 400 `/problems/validation-error`. */
export class FieldErrorDto {
  @ApiProperty({ example: 'email' })
  field!: string;

  @ApiProperty({ example: 'email must be a valid email address' })
  message!: string;
}

/**
 * RFC 9457 problem details: the one body of every error answer (`application/problem+json`).
 * Extension members depend on the problem type, so other members are allowed.
 */
export class ProblemDto {
  @ApiProperty({ example: '/problems/validation-error', description: 'Problem type (a path)' })
  type!: string;

  @ApiProperty({ example: 'Your request is not valid' })
  title!: string;

  @ApiProperty({ example: 400, minimum: 400, maximum: 599 })
  status!: number;

  @ApiProperty({ example: 'One or more fields are invalid.' })
  detail!: string;

  @ApiPropertyOptional({ description: 'This occurrence (the request path)' })
  instance?: string;

  @ApiPropertyOptional({
    type: [FieldErrorDto],
    description: 'The invalid fields (`/problems/validation-error` only)',
  })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Each failing dependency (`/health/ready` 503 only)',
  })
  checks?: Record<string, unknown>;
}

/** The media type of problem answers. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

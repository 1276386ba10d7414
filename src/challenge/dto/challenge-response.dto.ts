import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** An ALTCHA v2 challenge (altcha-lib's `Challenge`); solve it and send the payload as `altcha`. */
export class ChallengeDto {
  @ApiProperty({
    type: 'object',
    properties: {
      algorithm: { type: 'string', example: 'SHA-256' },
      nonce: { type: 'string' },
      salt: { type: 'string' },
      cost: { type: 'number' },
      keyLength: { type: 'number' },
      keyPrefix: { type: 'string' },
      keySignature: { type: 'string' },
      expiresAt: { type: 'number', description: 'Unix seconds' },
    },
    required: ['algorithm', 'nonce', 'salt', 'cost', 'keyLength', 'keyPrefix'],
    additionalProperties: true,
  })
  parameters!: Record<string, unknown>;

  @ApiPropertyOptional()
  signature?: string;
}

import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Challenge } from 'altcha-lib';
import { ChallengeService } from './challenge.service.js';

@ApiTags('public')
@Controller('v1/challenge')
export class ChallengeController {
  constructor(private readonly challenges: ChallengeService) {}

  /** An ALTCHA (v2) proof-of-work challenge, for sites that require proof of work. */
  @Get()
  @Header('cache-control', 'no-store')
  @ApiOkResponse({ description: 'ALTCHA v2 challenge: { parameters, signature }' })
  create(): Promise<Challenge> {
    return this.challenges.create();
  }
}

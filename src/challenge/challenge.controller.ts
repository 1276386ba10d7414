import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Challenge } from 'altcha-lib';
import { ChallengeService } from './challenge.service.js';
import { ApiRoute } from '../common/openapi/api-route.decorator.js';
import { ChallengeDto } from './dto/challenge-response.dto.js';

@ApiTags('public')
@Controller('v1/challenge')
export class ChallengeController {
  constructor(private readonly challenges: ChallengeService) {}

  /** An ALTCHA (v2) proof-of-work challenge, for sites that require proof of work. */
  @Get()
  @Header('cache-control', 'no-store')
  @ApiRoute({
    summary: 'Get a proof-of-work challenge',
    operationId: 'getChallenge',
    type: ChallengeDto,
  })
  create(): Promise<Challenge> {
    return this.challenges.create();
  }
}

import { Body, Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ValidationFailedError } from '../../common/errors/domain.errors.js';
import { ArticleIdPipe, SiteIdPipe } from '../../common/http/params.js';
import { ApiRoute } from '../../common/openapi/api-route.decorator.js';
import { SubmitCommentDto, SubmitCommentResponseDto } from './dto/submit-comment.dto.js';
import { IntakeService, type SubmitResult } from './intake.service.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@ApiTags('public')
@Controller('v1')
export class IntakeController {
  constructor(private readonly intake: IntakeService) {}

  @Post('sites/:siteId/articles/:articleId/comments')
  @HttpCode(202)
  @ApiRoute({
    summary: 'Submit a comment',
    operationId: 'submitComment',
    description: 'Committed when answered; spam and moderation run afterwards.',
    status: 202,
    type: SubmitCommentResponseDto,
    // 401: an invalid SSO identity (`/problems/invalid-identity`), or none where required.
    problems: [401, 403, 404, 409, 422, 429],
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  submit(
    @Param('siteId', SiteIdPipe) siteId: string,
    @Param('articleId', ArticleIdPipe) articleId: string,
    @Body() dto: SubmitCommentDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<SubmitResult> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ValidationFailedError([
        { field: 'Idempotency-Key', message: 'must be 1 to 200 visible ASCII characters' },
      ]);
    }
    return this.intake.submit(siteId, articleId, dto, {
      ip: request.ip ?? null,
      idempotencyKey: idempotencyKey ?? null,
    });
  }

  // GET comments/:id (the author's receipt view) is served by the trust module
  // (src/trust/trust-public.controller.ts), with the statement of reasons and the appeal.
}

import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ResourceIdPipe } from '../common/http/params.js';
import { Auth, CurrentPrincipal } from './auth.decorators.js';
import { CreateTokenDto } from './dto/create-token.dto.js';
import type { Principal } from './principal.js';
import { TokensService, type TokenView } from './tokens.service.js';
import { ApiRoute } from '../common/openapi/api-route.decorator.js';
import { CreatedTokenDto, TokenListDto } from './dto/token-responses.dto.js';

@ApiTags('admin')
@Auth('admin')
@Controller('v1/admin/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  /** Creates a token; the token itself is in this response only. */
  @Post()
  @ApiRoute({
    summary: 'Create an API token',
    operationId: 'createToken',
    status: 201,
    type: CreatedTokenDto,
  })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateTokenDto,
  ): Promise<{ id: string; token: string }> {
    return this.tokens.create(principal, dto);
  }

  @Get()
  @ApiRoute({ summary: 'List API tokens', operationId: 'listTokens', type: TokenListDto })
  async list(): Promise<{ items: TokenView[] }> {
    return { items: await this.tokens.list() };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiRoute({
    summary: 'Revoke an API token',
    operationId: 'revokeToken',
    status: 204,
    problems: [404],
  })
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ResourceIdPipe) id: string,
  ): Promise<void> {
    await this.tokens.revoke(principal, id);
  }
}

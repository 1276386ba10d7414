import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ResourceIdPipe } from '../common/http/params.js';
import { Auth, CurrentPrincipal } from './auth.decorators.js';
import { CreateTokenDto } from './dto/create-token.dto.js';
import type { Principal } from './principal.js';
import { TokensService, type TokenView } from './tokens.service.js';

@ApiTags('admin')
@Auth('admin')
@Controller('v1/admin/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  /** Creates a token; the token itself is in this response only. */
  @Post()
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateTokenDto,
  ): Promise<{ id: string; token: string }> {
    return this.tokens.create(principal, dto);
  }

  @Get()
  async list(): Promise<{ items: TokenView[] }> {
    return { items: await this.tokens.list() };
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ResourceIdPipe) id: string,
  ): Promise<void> {
    await this.tokens.revoke(principal, id);
  }
}

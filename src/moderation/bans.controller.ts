import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Auth, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ResourceIdPipe } from '../common/http/params.js';
import { BansService, type BanView } from './bans.service.js';
import { BanQueryDto, CreateBanDto } from './dto/ban.dto.js';
import { ApiRoute } from '../common/openapi/api-route.decorator.js';
import { BanDto, BanListDto } from './dto/moderation-responses.dto.js';

@ApiTags('moderation')
@Auth('moderator', 'admin')
@Controller('v1/moderation/bans')
export class BansController {
  constructor(private readonly bans: BansService) {}

  @Post()
  @ApiRoute({
    summary: 'Ban an email or address',
    operationId: 'createBan',
    status: 201,
    type: BanDto,
    problems: [404],
  })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateBanDto): Promise<BanView> {
    return this.bans.create(principal, dto);
  }

  @Get()
  @ApiRoute({ summary: 'List bans', operationId: 'listBans', type: BanListDto })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: BanQueryDto,
  ): Promise<{ items: BanView[] }> {
    return { items: await this.bans.list(principal, query.siteId) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiRoute({ summary: 'Lift a ban', operationId: 'deleteBan', status: 204, problems: [404] })
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ResourceIdPipe) id: string,
  ): Promise<void> {
    await this.bans.remove(principal, id);
  }
}

import { Body, Controller, Get, Param, Put, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { SiteIdPipe } from '../common/http/params.js';
import { PutSiteDto } from './dto/put-site.dto.js';
import { adminView, SitesService } from './sites.service.js';
import { ApiRoute } from '../common/openapi/api-route.decorator.js';
import { SiteDto, SiteListDto } from './dto/site-responses.dto.js';

type AdminSite = ReturnType<typeof adminView>;

@ApiTags('admin')
@Auth('admin')
@Controller('v1/admin/sites')
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Get()
  @ApiRoute({ summary: 'List sites', operationId: 'listSites', type: SiteListDto })
  async list(): Promise<{ items: AdminSite[] }> {
    return { items: (await this.sites.list()).map(adminView) };
  }

  @Get(':siteId')
  @ApiRoute({ summary: 'Read a site', operationId: 'getSite', type: SiteDto, problems: [404] })
  async get(@Param('siteId', SiteIdPipe) siteId: string): Promise<AdminSite> {
    return adminView(await this.sites.getFresh(siteId));
  }

  /** Creates (201) or replaces (200) a site and its settings. */
  @Put(':siteId')
  @ApiRoute({
    summary: 'Create or replace a site',
    operationId: 'putSite',
    type: SiteDto,
    alsoStatus: 201,
  })
  async put(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId', SiteIdPipe) siteId: string,
    @Body() dto: PutSiteDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AdminSite> {
    const { site, created } = await this.sites.put(principal, siteId, dto);
    void reply.status(created ? 201 : 200);
    return adminView(site);
  }
}

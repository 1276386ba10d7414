import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Auth, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { PrivacyRequestDto } from './dto/privacy.dto.js';
import { PrivacyService, type PrivacyExport } from './privacy.service.js';
import { ApiRoute } from '../common/openapi/api-route.decorator.js';
import { PrivacyEraseDto, PrivacyExportDto } from './dto/privacy-responses.dto.js';

@ApiTags('admin')
@Auth('admin')
@Controller('v1/admin/privacy')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  /** Every comment of that address, with everything stored about it. */
  @Post('export')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Export everything stored about an email address',
    operationId: 'exportPersonalData',
    type: PrivacyExportDto,
  })
  export(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: PrivacyRequestDto,
  ): Promise<PrivacyExport> {
    return this.privacy.export(principal, dto.email);
  }

  /** Removes name, email, website and address of every comment of that address for good. */
  @Post('erase')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Erase the author data of an email address',
    operationId: 'erasePersonalData',
    type: PrivacyEraseDto,
  })
  erase(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: PrivacyRequestDto,
  ): Promise<{ erased: number }> {
    return this.privacy.erase(principal, dto.email);
  }
}

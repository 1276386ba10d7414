import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Auth } from './auth.decorators.js';
import { CreateTokenDto } from './dto/create-token.dto.js';
import { TokensService, type TokenView } from './tokens.service.js';

@ApiTags('admin')
@Auth('admin')
@Controller('v1/admin/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  /** Creates a token; the token itself is in this response only. */
  @Post()
  create(@Body() dto: CreateTokenDto): Promise<{ id: string; token: string }> {
    return this.tokens.create(dto);
  }

  @Get()
  async list(): Promise<{ items: TokenView[] }> {
    return { items: await this.tokens.list() };
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
  ): Promise<void> {
    await this.tokens.revoke(id);
  }
}

import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiTokenEntity } from './api-token.entity.js';
import { BearerAuthGuard } from './bearer-auth.guard.js';
import { LoginThrottle } from './login-throttle.js';
import { TokensRepository } from './tokens.repository.js';
import { TokensController } from './tokens.controller.js';
import { TokensService } from './tokens.service.js';

/** Bearer tokens and the guard every protected feature uses. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([ApiTokenEntity])],
  controllers: [TokensController],
  providers: [TokensRepository, TokensService, BearerAuthGuard, LoginThrottle],
  exports: [TokensService, BearerAuthGuard, LoginThrottle],
})
export class AuthModule {}

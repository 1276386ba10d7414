import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiTokenEntity } from './api-token.entity.js';
import { BearerAuthGuard } from './bearer-auth.guard.js';
import { LoginThrottle } from './login-throttle.js';
import { TokensRepository } from './tokens.repository.js';
import { TokensController } from './tokens.controller.js';
import { TokensService } from './tokens.service.js';
import { RedisModule } from '../redis/redis.module.js';
import { AuditModule } from '../audit/audit.module.js';

/**
 * Bearer tokens and the guard every protected feature uses. Global: `@Auth()` puts the guard on
 * controllers of every module, and a guard resolves its dependencies in the controller's module.
 */
@Global()
@Module({
  imports: [RedisModule, AuditModule, TypeOrmModule.forFeature([ApiTokenEntity])],
  controllers: [TokensController],
  providers: [TokensRepository, TokensService, BearerAuthGuard, LoginThrottle],
  exports: [TokensService, BearerAuthGuard, LoginThrottle],
})
export class AuthModule {}

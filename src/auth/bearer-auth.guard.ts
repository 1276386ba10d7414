import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../common/errors/domain.errors.js';
import type { TokenRole } from './api-token.entity.js';
import { LoginThrottle } from './login-throttle.js';
import type { Principal } from './principal.js';
import { TokensService } from './tokens.service.js';
import { bearerToken } from '../common/http/bearer.js';

export const ROLES_KEY = 'auth:roles';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/** `Authorization: Bearer <token>`; 401 without a valid token, 403 without the role. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly throttle: LoginThrottle,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const roles = this.reflector.getAllAndOverride<TokenRole[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new UnauthorizedError();
    // Too many wrong tokens from this client lately: no more guesses this minute.
    await this.throttle.check(request.ip);
    const principal = await this.tokens.authenticate(token);
    if (!principal) {
      await this.throttle.failed(request.ip);
      throw new UnauthorizedError('The bearer token is not valid or was revoked.');
    }
    if (roles?.length && !roles.includes(principal.role)) {
      throw new ForbiddenError(`This route needs the role ${roles.join(' or ')}.`);
    }
    request.principal = principal;
    return true;
  }
}

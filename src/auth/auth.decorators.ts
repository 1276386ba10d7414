import {
  applyDecorators,
  createParamDecorator,
  SetMetadata,
  UseGuards,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi/api-route.decorator.js';
import type { TokenRole } from './api-token.entity.js';
import { BearerAuthGuard, ROLES_KEY, type AuthenticatedRequest } from './bearer-auth.guard.js';
import type { Principal } from './principal.js';

/** Protects a route (or controller) with a bearer token of one of the given roles. */
export function Auth(...roles: TokenRole[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    UseGuards(BearerAuthGuard),
    ApiBearerAuth(),
    // 429: too many wrong tokens from this client lately (LoginThrottle).
    ApiProblems(401, 403, 429),
  );
}

/** The authenticated caller (set by BearerAuthGuard). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) throw new Error('CurrentPrincipal used on a route without @Auth()');
    return principal;
  },
);

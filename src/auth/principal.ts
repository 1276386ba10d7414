import type { TokenRole } from './api-token.entity.js';

/** Who is calling a protected route. */
export interface Principal {
  tokenId: string;
  role: TokenRole;
  /** null: every site. */
  siteIds: string[] | null;
  /** As written to the audit log: `token:<id>` or `bootstrap-admin`. */
  actor: string;
}

export function canAccessSite(principal: Principal, siteId: string): boolean {
  return principal.siteIds === null || principal.siteIds.includes(siteId);
}

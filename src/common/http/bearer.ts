/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerToken(header: string | undefined): string | null {
  return (header && /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1]) || null;
}

/**
 * Bearer, or Basic with the token as the password (so a browser can sign in with its own
 * prompt, as on /admin/queues).
 */
export function bearerOrBasicToken(header: string | undefined): string | null {
  const bearer = bearerToken(header);
  if (bearer || !header) return bearer;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : null;
}

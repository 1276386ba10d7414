/** Identifier formats fixed by the API contract. */
export const SITE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const ARTICLE_ID_PATTERN = /^[A-Za-z0-9._~:-]{1,200}$/;
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

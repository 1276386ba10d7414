import { InitialSchema1795822790111 } from './1795822790111-InitialSchema.js';
import { Moderation1795830000000 } from './1795830000000-Moderation.js';

/** Every migration, in order (listed explicitly: globs do not work in ESM/Jest). */
export const MIGRATIONS = [InitialSchema1795822790111, Moderation1795830000000];

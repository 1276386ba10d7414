import { Module } from '@nestjs/common';
import { ImportsCoreModule } from './imports-core.module.js';

/** Imports and exports of a site's comments (the CLI commands and the admin API). */
@Module({
  imports: [ImportsCoreModule],
  exports: [ImportsCoreModule],
})
export class ImportsModule {}

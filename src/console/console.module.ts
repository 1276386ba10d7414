import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller.js';
import { ConsoleService } from './console.service.js';

/** `GET /moderate` (the moderator console) and its assets, built from console/src. */
@Module({
  controllers: [ConsoleController],
  providers: [ConsoleService],
})
export class ConsoleModule {}

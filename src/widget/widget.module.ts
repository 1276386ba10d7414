import { Module } from '@nestjs/common';
import { WidgetController } from './widget.controller.js';
import { WidgetService } from './widget.service.js';

/** `GET /widget.js` (the embeddable script) and `GET /demo/{articleId}` (a page that embeds it). */
@Module({
  controllers: [WidgetController],
  providers: [WidgetService],
})
export class WidgetModule {}

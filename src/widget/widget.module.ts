import { Module } from '@nestjs/common';
import { FaviconController } from './favicon.controller.js';
import { WidgetController } from './widget.controller.js';
import { WidgetService } from './widget.service.js';

/** `GET /widget.js` (the embeddable script) and `GET /demo/{articleId}` (a page that embeds it). */
@Module({
  controllers: [WidgetController, FaviconController],
  providers: [WidgetService],
})
export class WidgetModule {}

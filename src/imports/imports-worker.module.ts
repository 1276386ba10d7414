import { Module } from '@nestjs/common';
import { ImportProcessor } from './import.processor.js';
import { ImportsModule } from './imports.module.js';

/** Imports' worker pieces (worker role): the processor of uploaded imports. */
@Module({ imports: [ImportsModule], providers: [ImportProcessor] })
export class ImportsWorkerModule {}

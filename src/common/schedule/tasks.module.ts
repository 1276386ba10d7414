import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { PeriodicTasks } from './periodic-tasks.js';

/** @nestjs/schedule (registered once, here) and `PeriodicTasks` for the modules' timer loops. */
@Module({
  imports: [ScheduleModule.forRoot()],
  providers: [PeriodicTasks],
  exports: [PeriodicTasks],
})
export class TasksModule {}

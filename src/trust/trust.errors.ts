import { definedError, NotFoundError } from '../common/errors/domain.errors.js';

export class EditWindowClosedError extends definedError(
  403,
  'edit-window-closed',
  'The time to edit is over',
  (minutes: number) => `Comments may be edited within ${minutes} minutes of posting.`,
) {}

export class AppealWindowClosedError extends definedError(
  403,
  'appeal-window-closed',
  'The time to appeal is over',
  (days: number) => `Decisions may be appealed within ${days} days.`,
) {}

export class NotEditableError extends definedError(
  409,
  'not-editable',
  'The comment cannot be edited now',
  (detail?: string) =>
    detail ?? 'Only a published comment, or one awaiting moderation, can be edited.',
) {}

export class NotAppealableError extends definedError(
  409,
  'not-appealable',
  'There is nothing to appeal',
  () => 'Only a rejected comment can be appealed.',
) {}

export class AlreadyAppealedError extends definedError(
  409,
  'already-appealed',
  'Already appealed',
  () => 'This decision was already appealed; each decision can be appealed once.',
) {}

export class AppealDecidedError extends definedError(
  409,
  'appeal-decided',
  'The appeal was already decided',
  () => 'This appeal was already decided, or its comment moved on.',
) {}

export class AppealNotFoundError extends NotFoundError {
  constructor() {
    super('There is no such appeal.');
  }
}

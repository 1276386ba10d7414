import { DomainError, NotFoundError } from '../common/errors/domain.errors.js';

export class EditWindowClosedError extends DomainError {
  readonly status = 403;
  readonly slug = 'edit-window-closed';
  readonly title = 'The time to edit is over';
  constructor(minutes: number) {
    super(`Comments may be edited within ${minutes} minutes of posting.`);
  }
}

export class AppealWindowClosedError extends DomainError {
  readonly status = 403;
  readonly slug = 'appeal-window-closed';
  readonly title = 'The time to appeal is over';
  constructor(days: number) {
    super(`Decisions may be appealed within ${days} days.`);
  }
}

export class NotEditableError extends DomainError {
  readonly status = 409;
  readonly slug = 'not-editable';
  readonly title = 'The comment cannot be edited now';
  constructor(detail = 'Only a published comment, or one awaiting moderation, can be edited.') {
    super(detail);
  }
}

export class NotAppealableError extends DomainError {
  readonly status = 409;
  readonly slug = 'not-appealable';
  readonly title = 'There is nothing to appeal';
  constructor() {
    super('Only a rejected comment can be appealed.');
  }
}

export class AlreadyAppealedError extends DomainError {
  readonly status = 409;
  readonly slug = 'already-appealed';
  readonly title = 'Already appealed';
  constructor() {
    super('This decision was already appealed; each decision can be appealed once.');
  }
}

export class AppealDecidedError extends DomainError {
  readonly status = 409;
  readonly slug = 'appeal-decided';
  readonly title = 'The appeal was already decided';
  constructor() {
    super('This appeal was already decided, or its comment moved on.');
  }
}

export class AppealNotFoundError extends NotFoundError {
  constructor() {
    super('There is no such appeal.');
  }
}

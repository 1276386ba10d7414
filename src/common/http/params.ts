import { Injectable, type PipeTransform } from '@nestjs/common';
import { NotFoundError, ValidationFailedError } from '../errors/domain.errors.js';
import { ARTICLE_ID_PATTERN, SITE_ID_PATTERN, UUID_PATTERN } from './identifiers.js';

/** `siteId` path parameter: the contract's pattern, else a 400 naming the field. */
@Injectable()
export class SiteIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!SITE_ID_PATTERN.test(value)) {
      throw new ValidationFailedError([
        { field: 'siteId', message: 'siteId must match ^[a-z0-9][a-z0-9-]{0,63}$' },
      ]);
    }
    return value;
  }
}

@Injectable()
export class ArticleIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!ARTICLE_ID_PATTERN.test(value)) {
      throw new ValidationFailedError([
        { field: 'articleId', message: 'articleId must match ^[A-Za-z0-9._~:-]{1,200}$' },
      ]);
    }
    return value;
  }
}

/** A resource id that is not even a UUID cannot exist: 404. */
@Injectable()
export class ResourceIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID_PATTERN.test(value)) throw new NotFoundError('There is no such resource.');
    return value.toLowerCase();
  }
}

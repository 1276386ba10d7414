import { AuditLogEntity } from '../audit/audit-log.entity.js';
import { ApiTokenEntity } from '../auth/api-token.entity.js';
import { ArticleEntity } from '../comments/articles/article.entity.js';
import { CommentRevisionEntity } from '../comments/model/comment-revision.entity.js';
import { CommentSourceEntity } from '../comments/model/comment-source.entity.js';
import { CommentEntity } from '../comments/model/comment.entity.js';
import {
  CommentReactionCountEntity,
  CommentReactionEntity,
} from '../comments/reactions/comment-reaction.entity.js';
import { ModerationActionEntity } from '../comments/model/moderation-action.entity.js';
import { OutboxEventEntity } from '../events/outbox-event.entity.js';
import { WebhookDeliveryEntity } from '../events/webhook-delivery.entity.js';
import { WebhookEndpointEntity } from '../events/webhook-endpoint.entity.js';
import { ImportChunkEntity, ImportJobEntity } from '../imports/import-job.entity.js';
import { BanEntity } from '../moderation/ban.entity.js';
import {
  MailJobEntity,
  MailWindowEntity,
  ReplyNotificationEntity,
  SubscriptionEntity,
} from '../notifications/subscription.entity.js';
import { SiteEntity } from '../sites/site.entity.js';
import { SpamFeedbackEntity } from '../spam/spam-feedback.entity.js';
import { ToxicityFeedbackEntity } from '../toxicity/toxicity-feedback.entity.js';
import { AppealEntity } from '../trust/appeal.entity.js';
import { CommentFlagEntity } from '../trust/comment-flag.entity.js';

/** Every entity, listed explicitly (globs do not work in ESM/Jest). */
export const ENTITIES = [
  SiteEntity,
  ArticleEntity,
  CommentEntity,
  ModerationActionEntity,
  OutboxEventEntity,
  ApiTokenEntity,
  BanEntity,
  AuditLogEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  SpamFeedbackEntity,
  // Trust and safety (issue 17).
  CommentRevisionEntity,
  CommentFlagEntity,
  AppealEntity,
  CommentSourceEntity,
  ImportJobEntity,
  ImportChunkEntity,
  CommentReactionEntity,
  CommentReactionCountEntity,
  SubscriptionEntity,
  ReplyNotificationEntity,
  MailWindowEntity,
  ToxicityFeedbackEntity,
  MailJobEntity,
];

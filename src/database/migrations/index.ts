import { InitialSchema1795822790111 } from './1795822790111-InitialSchema.js';
import { Moderation1795830000000 } from './1795830000000-Moderation.js';
import { Events1795840000000 } from './1795840000000-Events.js';
import { SpamFeedback1795850000000 } from './1795850000000-SpamFeedback.js';
import { LeanerCommentWrites1795860000000 } from './1795860000000-LeanerCommentWrites.js';
import { SecurityHardening1796113000000 } from './1796113000000-SecurityHardening.js';
import { TrustAndSafety1796117000000 } from './1796117000000-TrustAndSafety.js';
import { IdentityAndNotifications1796118000000 } from './1796118000000-IdentityAndNotifications.js';
import { Imports1796119000000 } from './1796119000000-Imports.js';
import { ReaderReactions1796120000000 } from './1796120000000-ReaderReactions.js';
import { ToxicityFeedback1796121000000 } from './1796121000000-ToxicityFeedback.js';
import { CommentParentIndex1796125000000 } from './1796125000000-CommentParentIndex.js';
import { ToxicityFeedbackSite1796126000000 } from './1796126000000-ToxicityFeedbackSite.js';
import { EmailDisposable1796210000000 } from './1796210000000-EmailDisposable.js';
import { MailJobs1796220000000 } from './1796220000000-MailJobs.js';
import { TransportTables1796250000000 } from './1796250000000-TransportTables.js';
import { WebhookDeliveryPositions1796260000000 } from './1796260000000-WebhookDeliveryPositions.js';

/** Every migration, in order (listed explicitly: globs do not work in ESM/Jest). */
export const MIGRATIONS = [
  InitialSchema1795822790111,
  Moderation1795830000000,
  Events1795840000000,
  SpamFeedback1795850000000,
  LeanerCommentWrites1795860000000,
  SecurityHardening1796113000000,
  TrustAndSafety1796117000000,
  IdentityAndNotifications1796118000000,
  Imports1796119000000,
  ReaderReactions1796120000000,
  ToxicityFeedback1796121000000,
  CommentParentIndex1796125000000,
  ToxicityFeedbackSite1796126000000,
  EmailDisposable1796210000000,
  MailJobs1796220000000,
  TransportTables1796250000000,
  WebhookDeliveryPositions1796260000000,
];

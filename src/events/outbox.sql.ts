/**
 * The outbox's insert, for the statements that commit a change together with its event in one
 * statement (intake, the status change, featuring, author edits: `${INSERT_OUTBOX_EVENT}
 * SELECT event_id, type, source, subject, site_id, article_id, data FROM …`). The events module
 * owns `outbox_events`; this is the one spelling of its columns outside it.
 */
export const INSERT_OUTBOX_EVENT =
  'INSERT INTO outbox_events (event_id, type, source, subject, site_id, article_id, data)';

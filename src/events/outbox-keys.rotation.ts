import type { KeyRotation } from '../common/crypto/key-rotation.js';

/** Stored events carry their comment's avatar tag: they follow a recomputed one. */
export const storedEventsKeyRotation: KeyRotation = {
  name: 'stored events',
  async followAvatars(tx, changes) {
    await tx.query(
      `UPDATE outbox_events o SET data = jsonb_set(o.data, '{comment,author,avatar}',
                                                   to_jsonb(v.tag))
       FROM unnest($1::uuid[], $2::text[]) AS v(id, tag)
       WHERE o.subject = 'comments/' || v.id
         AND jsonb_typeof(o.data->'comment'->'author') = 'object'`,
      [changes.map((c) => c.commentId), changes.map((c) => c.tag)],
    );
  },
};

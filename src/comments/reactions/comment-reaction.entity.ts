import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One reader's reaction to a comment (`like`): at most one per reader, comment and type (the
 * primary key). `reader` is a keyed hash (of the client address, or of an SSO subject), never
 * the address itself. No foreign key to `comments`: its check would lock the comment's row on
 * every like, the very hot spot the counters avoid (rows of a comment deleted for good are
 * inert: nothing reads reactions without the comment).
 */
@Entity({ name: 'comment_reactions' })
@Check('comment_reactions_type_check', `type IN ('like')`)
export class CommentReactionEntity {
  @PrimaryColumn({ type: 'uuid' })
  commentId!: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  type!: string;

  @PrimaryColumn({ type: 'bytea' })
  reader!: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * The reaction counters, split in shards: a like adds one to the shard its reader's hash picks,
 * so concurrent likes of one popular comment update different rows instead of queueing on one
 * (`INSERT … ON CONFLICT DO UPDATE SET n = n + 1` never loses an update). A comment's count is
 * the sum of its shards; it changes in the same statement as its reaction row.
 */
@Entity({ name: 'comment_reaction_counts' })
export class CommentReactionCountEntity {
  @PrimaryColumn({ type: 'uuid' })
  commentId!: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  type!: string;

  @PrimaryColumn({ type: 'smallint' })
  shard!: number;

  @Column({ type: 'integer', default: 0 })
  n!: number;
}

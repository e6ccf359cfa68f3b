/**
 * The one DynamoDB table's key schema, shared by the CDK stack, the local stack's table creation
 * and the DynamoDB adapter, so the three can never disagree.
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
} as const;

/** Sparse global secondary indexes: only live stories carry their keys, so withdrawn ones vanish. */
export const TABLE_INDEXES = {
  /** "Newest N stories of topic T": partition `TOPIC#<slug>`, sort `<publishedAt>#<storyId>`. */
  byTopic: { indexName: 'byTopic', partitionKey: 'topicPk', sortKey: 'feedSk' },
  /** "Newest N stories overall": partition `ALL`, sort `<publishedAt>#<storyId>`. */
  all: { indexName: 'all', partitionKey: 'allPk', sortKey: 'feedSk' },
} as const;

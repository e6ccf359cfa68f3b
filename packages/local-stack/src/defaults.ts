/** Default names and ports of the local stack (docs/local-stack.md). */
export const LOCAL_DEFAULTS = {
  tableName: 'feedwright',
  incomingBucket: 'feedwright-incoming',
  siteBucket: 'feedwright-site',
  s3Port: 4569,
  dynamoPort: 4567,
  sitePort: 8787,
  smtpPort: 2525,
  /** The largest message the SMTP server takes: SES's own limit for received mail (40 MB). */
  smtpMaxBytes: 40 * 1024 * 1024,
  /** The search index is rebuilt this long after stories change, and at most this often while they do. */
  searchIndexIntervalMs: 3000,
} as const;

/**
 * The names the pipeline's functions publish their metrics under (Powertools Metrics, embedded metric
 * format): the handlers emit them and the CDK dashboard and alarms read them, so both take them from
 * here. Every metric carries the `service` dimension (the function's Powertools service name); the
 * `...ByReason` ones carry `channel` and `reason` too.
 *
 * A module of constants only, so that the CDK app imports it without the pipeline's runtime code.
 */

/** The CloudWatch namespace of every custom metric. */
export const METRIC_NAMESPACE = 'feedwright';

/** The `service` dimension of each function's metrics (and its `POWERTOOLS_SERVICE_NAME`). */
export const SERVICE_NAMES = {
  ingest: 'feedwright-ingest',
  render: 'feedwright-render',
  reconcile: 'feedwright-reconcile',
} as const;

/** Metric names, by the function that emits them. */
export const METRICS = {
  ingest: {
    /** Digests applied (status `ok`). */
    digestsIngested: 'DigestsIngested',
    /** Digests refused (status `rejected`), any channel. */
    digestsRejected: 'DigestsRejected',
    /** Digests refused, with dimensions `channel` (`file` or `mail`) and `reason` (the parser's code). */
    digestsRejectedByReason: 'DigestsRejectedByReason',
    /** Mailed digests refused (any reason): what the mail-refusal alarm watches. */
    mailRefused: 'MailRefused',
    /** Duplicate or older events that changed nothing. */
    digestsSkipped: 'DigestsSkipped',
    /** Digests deleted from the bucket, their stories withdrawn. */
    digestsWithdrawn: 'DigestsWithdrawn',
    /** Stories added or corrected. */
    storiesWritten: 'StoriesWritten',
    /** Stories whose text an upload changed (a correction). */
    storiesCorrected: 'StoriesCorrected',
    storiesWithdrawn: 'StoriesWithdrawn',
    reportNotificationsFailed: 'ReportNotificationsFailed',
  },
  render: {
    objectsWritten: 'ObjectsWritten',
    objectsUnchanged: 'ObjectsUnchanged',
    objectsDeleted: 'ObjectsDeleted',
    /** Paths sent to CloudFront for invalidation (wildcards count as one). */
    invalidationPaths: 'InvalidationPaths',
    hubNotificationsSent: 'HubNotificationsSent',
    hubNotificationsFailed: 'HubNotificationsFailed',
    /**
     * Milliseconds from the S3 event of a digest's upload (or delete) to the end of the render that
     * wrote its last site object: one value per digest.
     */
    freshness: 'Freshness',
  },
  reconcile: {
    digestsReapplied: 'DigestsReapplied',
    digestsWithdrawnByReconcile: 'DigestsWithdrawnByReconcile',
    objectsRepaired: 'ObjectsRepaired',
  },
} as const;

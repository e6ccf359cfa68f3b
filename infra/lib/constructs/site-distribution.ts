import {
  FEEDS_CORS,
  SEARCH_CONTENT_SECURITY_POLICY,
  SEARCH_POLICY_PATH_PATTERNS,
  SECURITY_HEADERS,
} from '@feedwright/site';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { WebSubLinks } from './websub-links.ts';

/** Path pattern of the behavior that adds CORS: every feed (RSS, Atom, JSON Feed) of every topic. */
const FEEDS_PATH_PATTERN = `${FEEDS_CORS.keyPrefix}*`;

/** A custom domain for the distribution. */
export interface SiteCustomDomain {
  /** e.g. `feeds.example.com`; point a CNAME/alias at the distribution's domain after deploying. */
  readonly domainName: string;
  /** An ACM certificate in us-east-1 covering `domainName`. */
  readonly certificate: acm.ICertificate;
}

/** Properties of a {@link SiteDistribution}. */
export interface SiteDistributionProps {
  /** The private bucket the render function writes the site into. */
  readonly bucket: s3.IBucket;
  /** Where CloudFront writes its standard access logs (needs ACLs enabled). */
  readonly logBucket: s3.IBucket;
  /**
   * Serve on this domain instead of the `*.cloudfront.net` one.
   * @default - the distribution's own domain, with CloudFront's default certificate
   */
  readonly customDomain?: SiteCustomDomain;
  /**
   * ARN of an existing AWS WAF web ACL (scope CLOUDFRONT, in us-east-1) to attach.
   * @default - no web ACL
   */
  readonly webAclArn?: string;
  /**
   * Which edge locations serve the site.
   * @default PriceClass.PRICE_CLASS_100 (North America and Europe: the cheapest per GB)
   */
  readonly priceClass?: cloudfront.PriceClass;
  /**
   * WebSub: subscription feeds are answered with `Link: <hub>; rel="hub", <self>; rel="self"`
   * (see {@link WebSubLinks}).
   * @default - no WebSub
   */
  readonly websub?: { readonly hubUrl: string; readonly feedPathPattern: string };
}

/**
 * CloudFront in front of the private site bucket: Origin Access Control, HTTP/2 and 3, compression,
 * security headers on every response, CORS on the feeds, and caching that honours the
 * Cache-Control the render function gives each object.
 */
export class SiteDistribution extends Construct {
  public readonly distribution: cloudfront.Distribution;
  /** The host readers use: the custom domain if given, else the distribution's own. */
  public readonly domainName: string;
  /** `https://<domainName>/`, the base URL feeds and pages link to. */
  public readonly siteUrl: string;
  public readonly cachePolicy: cloudfront.CachePolicy;
  public readonly pagesHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  public readonly feedsHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  /** The search page's and index's headers: the site's, with the search CSP (see SEARCH_CONTENT_SECURITY_POLICY). */
  public readonly searchHeadersPolicy: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: SiteDistributionProps) {
    super(scope, id);

    // Feed objects carry a short max-age and story pages a long one; CloudFront obeys the origin's
    // Cache-Control between minTtl and maxTtl and uses defaultTtl only for objects without one.
    // A day's ceiling bounds how stale a corrected story page can be at the edge.
    this.cachePolicy = new cloudfront.CachePolicy(this, 'CachePolicy', {
      comment: 'feedwright: honour origin Cache-Control; 60 s when absent, at most a day',
      defaultTtl: Duration.seconds(60),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.days(1),
      // Nothing varies by header, cookie or query string: keeping them out of the key keeps hits high.
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const securityHeaders: cloudfront.ResponseSecurityHeadersBehavior = {
      strictTransportSecurity: {
        accessControlMaxAge: Duration.seconds(SECURITY_HEADERS.strictTransportSecurity.maxAgeSeconds),
        includeSubdomains: SECURITY_HEADERS.strictTransportSecurity.includeSubdomains,
        override: true,
      },
      // CloudFront's X-Content-Type-Options is always 'nosniff', the one value SECURITY_HEADERS names.
      contentTypeOptions: { override: true },
      frameOptions: {
        frameOption: SECURITY_HEADERS.frameOptions as cloudfront.HeadersFrameOption,
        override: true,
      },
      referrerPolicy: {
        referrerPolicy: SECURITY_HEADERS.referrerPolicy as cloudfront.HeadersReferrerPolicy,
        override: true,
      },
      contentSecurityPolicy: {
        contentSecurityPolicy: SECURITY_HEADERS.contentSecurityPolicy,
        override: true,
      },
    };

    this.pagesHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'PagesHeaders', {
      comment: 'feedwright: security headers for pages',
      securityHeadersBehavior: securityHeaders,
    });

    // Only the search page and the index may run script (Pagefind's, and its WebAssembly): a policy and
    // a behavior of their own, so every other path keeps the policy without script-src.
    this.searchHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'SearchHeaders', {
      comment: 'feedwright: security headers for the search page and index (Pagefind)',
      securityHeadersBehavior: {
        ...securityHeaders,
        contentSecurityPolicy: { contentSecurityPolicy: SEARCH_CONTENT_SECURITY_POLICY, override: true },
      },
    });

    // Feeds are public by design (FEEDS_CORS says why a wildcard origin exposes nothing).
    this.feedsHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'FeedsHeaders', {
      comment: 'feedwright: security headers plus CORS for feeds',
      securityHeadersBehavior: securityHeaders,
      corsBehavior: {
        accessControlAllowOrigins: [...FEEDS_CORS.allowOrigins],
        accessControlAllowMethods: [...FEEDS_CORS.allowMethods],
        accessControlAllowHeaders: [...FEEDS_CORS.allowHeaders],
        accessControlExposeHeaders: [...FEEDS_CORS.exposeHeaders],
        accessControlAllowCredentials: false,
        accessControlMaxAge: Duration.seconds(FEEDS_CORS.maxAgeSeconds),
        originOverride: true,
      },
    });

    // READ + LIST: with s3:ListBucket a missing object answers 404 rather than 403, which is what a
    // feed reader should see for a removed topic; there is still no way to list keys through CloudFront,
    // because no query string reaches the origin.
    const origin = origins.S3BucketOrigin.withOriginAccessControl(props.bucket, {
      originAccessLevels: [cloudfront.AccessLevel.READ, cloudfront.AccessLevel.LIST],
    });

    const links = props.websub === undefined ? undefined : new WebSubLinks(this, 'WebSubLinks', props.websub);
    const functionAssociations =
      links === undefined
        ? undefined
        : [{ function: links.function, eventType: cloudfront.FunctionEventType.VIEWER_RESPONSE }];

    const custom = props.customDomain;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'feedwright site',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      enableIpv6: true,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
      // The cache hit rate and the per-status error rates on the operations dashboard come only with
      // CloudFront's additional metrics (a monitoring subscription, billed as 8 custom metrics).
      publishAdditionalMetrics: true,
      ...(custom === undefined
        ? {}
        : {
            domainNames: [custom.domainName],
            certificate: custom.certificate,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            sslSupportMethod: cloudfront.SSLMethod.SNI,
          }),
      ...(props.webAclArn === undefined ? {} : { webAclId: props.webAclArn }),
      defaultBehavior: {
        origin,
        compress: true,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
        cachePolicy: this.cachePolicy,
        responseHeadersPolicy: this.pagesHeadersPolicy,
        // The issue feed (issues/*.xml, issues/feed.json) is served by this behavior.
        ...(functionAssociations === undefined ? {} : { functionAssociations }),
      },
      additionalBehaviors: {
        [FEEDS_PATH_PATTERN]: {
          origin,
          compress: true,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          // OPTIONS so CORS preflights (e.g. a reader sending If-None-Match itself) get an answer.
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
          cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
          cachePolicy: this.cachePolicy,
          // Forwards Origin and Access-Control-Request-* so S3's own CORS rule can answer preflights.
          originRequestPolicy: cloudfront.OriginRequestPolicy.CORS_S3_ORIGIN,
          responseHeadersPolicy: this.feedsHeadersPolicy,
          ...(functionAssociations === undefined ? {} : { functionAssociations }),
        },
        ...Object.fromEntries(
          SEARCH_POLICY_PATH_PATTERNS.map((pattern) => [
            pattern,
            {
              origin,
              compress: true,
              viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
              allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
              cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
              cachePolicy: this.cachePolicy,
              responseHeadersPolicy: this.searchHeadersPolicy,
            },
          ]),
        ),
      },
      // A feed that doesn't exist yet should appear soon after its first story: cache the 404 briefly.
      errorResponses: [{ httpStatus: 404, ttl: Duration.seconds(10) }],
    });

    this.domainName = custom?.domainName ?? this.distribution.distributionDomainName;
    this.siteUrl = `https://${this.domainName}/`;

    Validations.of(this.distribution).acknowledge({
      id: '@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk',
      reason:
        'LIST only turns missing objects into 404s; defaultRootObject is index.html and no query string reaches the origin, so a request for / can never return a bucket listing.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'The feeds are public news meant for readers anywhere and carry no licensing or sanctions constraint, so no country is restricted.',
    });
    if (props.webAclArn === undefined) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'The site is static, read-only and cached (GET/HEAD/OPTIONS only, no forms, cookies, query strings or origin compute), so a WAF would guard no application logic; Shield Standard covers volumetric attacks, and a web ACL can be attached with -c webAclArn=… when wanted.',
      });
    }
    if (custom === undefined) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          "Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose security policy can't be changed; deploying with -c domainName=… -c certificateArn=… enforces TLSv1.2_2021.",
      });
    }
  }

  /** `cloudfront:CreateInvalidation` on this distribution only: render's and reconcile's takedown. */
  grantInvalidation(role: iam.IGrantable): void {
    role.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['cloudfront:CreateInvalidation'],
        resources: [
          Stack.of(this).formatArn({
            service: 'cloudfront',
            region: '',
            resource: 'distribution',
            resourceName: this.distribution.distributionId,
          }),
        ],
      }),
    );
  }
}

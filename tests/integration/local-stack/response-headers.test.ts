import { request } from 'node:http';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type SiteServer, startSiteServer } from '@feedwright/local-stack';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteDistribution } from '../../../infra/lib/constructs/site-distribution.ts';
import { type Emulators, startEmulators } from '../../support/emulators.ts';

const SITE = 'feedwright-site';

function get(
  url: string,
  headers: Record<string, string>,
): Promise<Record<string, string | string[] | undefined>> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.headers));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

interface PolicyConfig {
  readonly SecurityHeadersConfig: {
    readonly ContentSecurityPolicy: { readonly ContentSecurityPolicy: string };
    readonly ContentTypeOptions: { readonly Override: boolean };
    readonly FrameOptions: { readonly FrameOption: string };
    readonly ReferrerPolicy: { readonly ReferrerPolicy: string };
  };
  readonly CorsConfig?: {
    readonly AccessControlAllowOrigins: { readonly Items: string[] };
    readonly AccessControlExposeHeaders: { readonly Items: string[] };
  };
}

/** The response headers policies the distribution's behaviors use: default (pages) and feeds/*. */
function cloudFrontPolicies(): { pages: PolicyConfig; feeds: PolicyConfig; feedsPattern: string } {
  const stack = new Stack(new App(), 'Headers');
  const bucket = new s3.Bucket(stack, 'Site');
  const site = new SiteDistribution(stack, 'Distribution', {
    bucket,
    logBucket: new s3.Bucket(stack, 'Logs'),
  });
  const template = Template.fromStack(stack);
  const config = (policy: unknown): PolicyConfig => {
    const id = stack.getLogicalId((policy as { node: { defaultChild: never } }).node.defaultChild);
    return template.toJSON().Resources[id].Properties.ResponseHeadersPolicyConfig as PolicyConfig;
  };
  const distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0] as {
    Properties: { DistributionConfig: { CacheBehaviors: Array<{ PathPattern: string }> } };
  };
  return {
    pages: config(site.pagesHeadersPolicy),
    feeds: config(site.feedsHeadersPolicy),
    feedsPattern: distribution.Properties.DistributionConfig.CacheBehaviors[0]?.PathPattern ?? '',
  };
}

describe('Response headers: CloudFront and the local site server', () => {
  let emulators: Emulators;
  let server: SiteServer;

  beforeAll(async () => {
    emulators = await startEmulators({ buckets: [SITE] });
    const s3Client = emulators.s3Client();
    for (const key of ['index.html', 'feeds/all/rss.xml', 'feeds/all/feed.json']) {
      await s3Client.send(
        new PutObjectCommand({ Bucket: SITE, Key: key, Body: 'x', ContentType: 'text/plain' }),
      );
    }
    server = await startSiteServer({ s3: s3Client, bucket: SITE, host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await emulators?.stop();
  });

  it('sends what the response headers policies send, pages and feeds alike', async () => {
    // Prepare
    const { pages, feeds, feedsPattern } = cloudFrontPolicies();
    const origin = { Origin: 'https://reader.example' };

    // Act
    const page = await get(server.url, origin);
    const feed = await get(`${server.url}feeds/all/rss.xml`, origin);
    const json = await get(`${server.url}feeds/all/feed.json`, origin);

    // Assess
    expect(feedsPattern).toBe('feeds/*');
    for (const [local, policy] of [
      [page, pages],
      [feed, feeds],
      [json, feeds],
    ] as const) {
      const security = policy.SecurityHeadersConfig;
      expect(local['content-security-policy']).toBe(security.ContentSecurityPolicy.ContentSecurityPolicy);
      expect(local['x-frame-options']).toBe(security.FrameOptions.FrameOption);
      expect(local['referrer-policy']).toBe(security.ReferrerPolicy.ReferrerPolicy);
      expect(security.ContentTypeOptions.Override).toBe(true);
      expect(local['x-content-type-options']).toBe('nosniff');
      const cors = policy.CorsConfig;
      expect(local['access-control-allow-origin']).toBe(cors?.AccessControlAllowOrigins.Items.join(', '));
      expect(local['access-control-expose-headers']).toBe(cors?.AccessControlExposeHeaders.Items.join(', '));
    }
    expect(pages.CorsConfig).toBeUndefined();
    expect(feeds.CorsConfig?.AccessControlAllowOrigins.Items).toEqual(['*']);
  });
});

import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';

/** Properties of {@link WebSubLinks}. */
export interface WebSubLinksProps {
  /** The WebSub hub the feeds advertise. */
  readonly hubUrl: string;
  /**
   * Source of the regular expression that matches subscription feed paths (no leading '/'):
   * the site package's `SUBSCRIPTION_FEED_PATH.source`, so the edge and the feeds agree.
   */
  readonly feedPathPattern: string;
}

/**
 * A viewer-response CloudFront Function that gives subscription feeds the WebSub discovery header
 * `Link: <hub>; rel="hub", <self>; rel="self"`. A response headers policy can only add fixed values,
 * and `self` is each feed's own URL, so the header is written here, from the request's host and URI.
 */
export class WebSubLinks extends Construct {
  public readonly function: cloudfront.Function;

  constructor(scope: Construct, id: string, props: WebSubLinksProps) {
    super(scope, id);
    const pattern = `^/${props.feedPathPattern.replace(/^\^/, '')}`;
    this.function = new cloudfront.Function(this, 'Function', {
      comment: 'feedwright: WebSub Link header (hub, self) on subscription feeds',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(
        [
          `var HUB = ${JSON.stringify(props.hubUrl)};`,
          `var FEED = new RegExp(${JSON.stringify(pattern)});`,
          'function handler(event) {',
          '  var response = event.response;',
          '  var request = event.request;',
          '  var status = response.statusCode;',
          '  if ((status === 200 || status === 304) && FEED.test(request.uri) && request.headers.host) {',
          "    var self = 'https://' + request.headers.host.value + request.uri;",
          `    response.headers.link = { value: '<' + HUB + '>; rel="hub", <' + self + '>; rel="self"' };`,
          '  }',
          '  return response;',
          '}',
        ].join('\n'),
      ),
    });
  }
}

import { renderRedirectPage, resolveSiteConfig } from '@feedwright/site';
import { describe, expect, it } from 'vitest';
import { attr, htmlElements, htmlProblems, textOf } from '../../support/validators.ts';

const config = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/news/' });

describe('Function: renderRedirectPage', () => {
  it('stands at the old address and sends the browser, search engines and a plain reader to the story’s new page', () => {
    // Act
    const file = renderRedirectPage(
      { from: '2024-05-07-city-mayor-resigns', to: '2024-05-07-city-mayor-resigns-after-ten-years' },
      config,
    );

    // Assess
    expect(file.path).toBe('stories/2024-05-07-city-mayor-resigns.html');
    expect(file.contentType).toBe('text/html; charset=utf-8');
    expect(htmlProblems(file.body)).toEqual([]);
    const elements = htmlElements(file.body);
    const meta = (name: string, key = 'name') => {
      const found = elements.find((element) => element.tagName === 'meta' && attr(element, key) === name);
      return found === undefined ? undefined : attr(found, 'content');
    };
    const newUrl =
      'https://feeds.example.com/news/stories/2024-05-07-city-mayor-resigns-after-ten-years.html';
    expect(meta('robots')).toBe('noindex');
    expect(meta('refresh', 'http-equiv')).toBe('0; url=2024-05-07-city-mayor-resigns-after-ten-years.html');
    const canonical = elements.find(
      (element) => element.tagName === 'link' && attr(element, 'rel') === 'canonical',
    );
    expect(canonical && attr(canonical, 'href')).toBe(newUrl);
    const links = elements.filter((element) => element.tagName === 'a');
    const plain = links.find((element) => textOf(element) === newUrl);
    expect(plain && attr(plain, 'href')).toBe('2024-05-07-city-mayor-resigns-after-ten-years.html');
    // The refresh resolves, from the old page's address, to the new page's canonical URL.
    const from = new URL('https://feeds.example.com/news/stories/2024-05-07-city-mayor-resigns.html');
    expect(new URL('2024-05-07-city-mayor-resigns-after-ten-years.html', from).href).toBe(newUrl);
    expect(elements.some((element) => element.tagName === 'script')).toBe(false);
  });

  it('percent-encodes an id of Unicode letters in every link, and is byte-identical when rendered again', () => {
    // Act
    const redirect = { from: '2024-05-07-汽车-旧', to: '2024-05-07-汽车-新' };
    const file = renderRedirectPage(redirect, config);

    // Assess
    expect(file.path).toBe('stories/2024-05-07-汽车-旧.html');
    expect(htmlProblems(file.body)).toEqual([]);
    const encoded = `${encodeURIComponent('2024-05-07-汽车-新')}.html`;
    expect(file.body).toContain(`content="0; url=${encoded}"`);
    expect(file.body).toContain(`href="https://feeds.example.com/news/stories/${encoded}"`);
    expect(renderRedirectPage(redirect, config).body).toBe(file.body);
  });
});

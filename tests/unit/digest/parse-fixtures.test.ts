import { decodeDigest, parseDigest } from '@feedwright/digest';
import { describe, expect, it } from 'vitest';
import { loadDigestFixtures, projectOnto, withoutWarnings } from './fixture-digests.ts';

const fixtures = loadDigestFixtures();

describe('Function: parseDigest, on the fixture digests', () => {
  it('has the seed and at least five more digests to run', () => {
    // Assess
    expect(fixtures.map((f) => f.name)).toContain('cx-daily-2020-12-01');
    expect(fixtures.length).toBeGreaterThanOrEqual(6);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('parses %s to its expected JSON', (_name, fixture) => {
    // Prepare
    const { bytes, expected } = fixture;

    // Act
    const digest = parseDigest(decodeDigest(bytes), { timezone: expected.timezone ?? 'UTC' });

    // Assess
    expect(digest.stories).toHaveLength(expected.stories.length);
    expect(projectOnto(digest, expected)).toEqual(withoutWarnings(expected));
    if (expected.warnings !== undefined) {
      expect(digest.warnings).toHaveLength(expected.warnings.length);
      expected.warnings.forEach((part, i) => {
        expect(digest.warnings[i]).toContain(part);
      });
    }
  });

  it.each(fixtures.map((f) => [f.name, f] as const))(
    'gives every story of %s the model fields',
    (_name, fixture) => {
      // Prepare
      const { bytes, expected } = fixture;

      // Act
      const digest = parseDigest(decodeDigest(bytes), { timezone: expected.timezone ?? 'UTC' });

      // Assess
      const ids = digest.stories.map((s) => s.storyId);
      expect(new Set(ids).size).toBe(ids.length);
      digest.stories.forEach((story, position) => {
        expect(story.storyId).toMatch(/^\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$/);
        expect(story.storyId.startsWith(digest.date)).toBe(true);
        expect(story.position).toBe(position);
        expect(Date.parse(digest.publishedAt) - Date.parse(story.publishedAt)).toBe(position * 1000);
        expect(story.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      });
    },
  );
});

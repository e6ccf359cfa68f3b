import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPERATIONS_DOC, settingsTable, withSettingsTable } from '../../../tools/settings-table.ts';

describe('docs/operations.md', () => {
  it('lists every setting as its one definition has it (npm run docs:settings writes the table)', () => {
    // Prepare
    const doc = readFileSync(OPERATIONS_DOC, 'utf8');

    // Act
    const regenerated = withSettingsTable(doc);

    // Assess
    expect(doc).toContain(settingsTable());
    expect(regenerated).toBe(doc);
  });
});

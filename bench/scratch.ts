import { accessSync, constants, statSync } from 'node:fs';
import { tmpdir } from 'node:os';

/**
 * Where the builds of the bench write their output: the RAM disk (`/dev/shm`) where there is one, else the
 * temporary folder. `feedwright build` and Hugo write there alike. On this kind of VM the disk (ext4 with
 * online discard) takes 0.5 s or 5 s for the same 18,000 files depending on what was deleted before, which
 * would drown both generators' own work; the RAM disk measures that work.
 */
export function scratchRoot(): string {
  try {
    if (!statSync('/dev/shm').isDirectory()) return tmpdir();
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

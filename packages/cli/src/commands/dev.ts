import type { Command } from '../command.ts';

// Placeholder until the 'dev' command lands; it says so rather than pretending to work.
export const devCommand: Command = {
  summary: 'dev',
  usage: 'Usage: feedwright dev (not implemented yet)',
  async run() {
    process.stderr.write('feedwright dev: not implemented yet\n');
    return 1;
  },
};

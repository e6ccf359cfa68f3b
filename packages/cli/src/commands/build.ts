import type { Command } from '../command.ts';

// Placeholder until the 'build' command lands; it says so rather than pretending to work.
export const buildCommand: Command = {
  summary: 'build',
  usage: 'Usage: feedwright build (not implemented yet)',
  async run() {
    process.stderr.write('feedwright build: not implemented yet\n');
    return 1;
  },
};

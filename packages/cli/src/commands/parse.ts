import type { Command } from '../command.ts';

// Placeholder until the 'parse' command lands; it says so rather than pretending to work.
export const parseCommand: Command = {
  summary: 'parse',
  usage: 'Usage: feedwright parse (not implemented yet)',
  async run() {
    process.stderr.write('feedwright parse: not implemented yet\n');
    return 1;
  },
};

import type { Command } from './command.ts';
import { UsageError } from './command.ts';
import { EXIT, EXIT_STATUS_HELP } from './command-line.ts';

const commands: Record<string, () => Promise<Command>> = {
  parse: async () => (await import('./commands/parse.ts')).parseCommand,
  build: async () => (await import('./commands/build.ts')).buildCommand,
  dev: async () => (await import('./commands/dev.ts')).devCommand,
  reconcile: async () => (await import('./commands/reconcile.ts')).reconcileCommand,
  redrive: async () => (await import('./commands/redrive.ts')).redriveCommand,
  publish: async () => (await import('./commands/publish.ts')).publishCommand,
  withdraw: async () => (await import('./commands/withdraw.ts')).withdrawCommand,
  status: async () => (await import('./commands/status.ts')).statusCommand,
};

const usage = `Usage: feedwright <command> [options]

Commands:
  parse FILE [--timezone TZ] [--max-bytes N] print a digest's stories as JSON
  build FILE_OR_DIR... --out DIR [options]   write the whole site from digests
  dev [options]                              run the local stack (npm start)
  reconcile [options]                        make the table and the site match the incoming bucket
  redrive --queue-url URL --function-name F  re-run what landed on a failure queue (AWS)
  publish FILE... [--dry-run] [options]      upload digests and wait until they are live
  withdraw KEY_OR_FILE [options]             delete a digest and wait until it is gone
  status [--aws] [options]                   the last digests, their freshness, queues, last reconcile

Run 'feedwright <command> --help' for a command's options.

${EXIT_STATUS_HELP}`;

/** Entry point of the `feedwright` command; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(`${usage}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const load = commands[name];
  if (load === undefined) {
    process.stderr.write(`feedwright: unknown command '${name}'\n\n${usage}\n`);
    return EXIT.usage;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      // The same three lines for every command: what is wrong, the usage line, where the rest is.
      const usageLine = command.usage.split('\n')[0] ?? '';
      process.stderr.write(
        `feedwright ${name}: ${error.message}\n${usageLine}\nRun 'feedwright ${name} --help' for every option.\n`,
      );
      return EXIT.usage;
    }
    throw error;
  }
}

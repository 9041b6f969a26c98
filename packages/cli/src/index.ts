import { TidingsError } from '@tidings/parser';
import { detectCommand, detectUsage } from './commands/detect.js';
import { feedCommand, feedUsage } from './commands/feed.js';
import { parseCommand, parseUsage } from './commands/parse.js';
import { cliMessage } from './error-message.js';
import { EXIT, type Io, UsageError } from './io.js';

export { EXIT, type Io } from './io.js';

const USAGE = `Usage:
${parseUsage}
${detectUsage}
${feedUsage}

  <file> may be - for standard input. Without --url, parse resolves links against the file's location.
  Exit codes: 0 ok, 1 the page could not be parsed or rendered, 2 bad usage or unreadable file.`;

const COMMANDS: Record<string, (argv: readonly string[], io: Io) => Promise<number>> = {
  parse: parseCommand,
  detect: detectCommand,
  feed: feedCommand,
};

/** Runs the `tidings` command with the arguments after the command name. Returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) throw new UsageError('Which command?');
    if (
      name === '--help' ||
      name === '-h' ||
      name === 'help' ||
      rest.includes('--help') ||
      rest.includes('-h')
    ) {
      io.stdout(`${USAGE}\n`);
      return EXIT.ok;
    }
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`Unknown command "${name}".`);
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`tidings: ${error.message}\n${error.showUsage ? `\n${USAGE}\n` : ''}`);
      return EXIT.usage;
    }
    if (error instanceof TidingsError) {
      io.stderr(`tidings: ${error.name} (${error.code}): ${cliMessage(error)}\n`);
      return EXIT.parseFailed;
    }
    throw error;
  }
}

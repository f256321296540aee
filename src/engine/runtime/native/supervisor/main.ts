import { nativePaths } from '../paths.js';
import { serveProject } from './server.js';

/**
 * Entry point of a project's supervisor: `node main.js HOME PROJECT`, started detached by the
 * native runtime on the first change to a project. It outlives the command that started it.
 */
const [home, project] = process.argv.slice(2);
if (!home || !project) {
  process.stderr.write('usage: main.js KITTEN_HOME PROJECT\n');
  process.exit(2);
}
process.on('uncaughtException', (error) => {
  process.stderr.write(`${new Date().toISOString()} uncaught: ${error.stack ?? error.message}\n`);
});
process.on('unhandledRejection', (error) => {
  process.stderr.write(
    `${new Date().toISOString()} unhandled: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
});
const served = await serveProject(nativePaths(home), project);
// Either the project emptied, or another supervisor already serves it: both are a clean end.
void served;
process.exit(0);

import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Kitten keeps what must survive a process: KITTEN_HOME, else /var/lib/kitten as root,
 * else ~/.local/state/kitten (XDG_STATE_HOME honoured).
 */
export function kittenHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KITTEN_HOME) return env.KITTEN_HOME;
  if (process.getuid?.() === 0) return '/var/lib/kitten';
  const stateHome = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(stateHome, 'kitten');
}

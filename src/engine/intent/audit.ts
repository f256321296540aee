import { appendFile, mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { kittenHome } from '../state/home.js';

/**
 * One JSON line per command Kitten was asked to run (dry-runs excluded), whatever came of it:
 * who, when, what was asked, the exact argv, where, and how it ended. Append-only, 0600.
 */
export interface AuditEntry {
  time: string;
  request_id: string;
  user: string;
  /** Which door the request came through: ask, codex, tui, api. */
  origin: string;
  intent: string;
  argv: string[] | null;
  host: string;
  risk: string | null;
  status: string;
  exit_code: number | null;
  reason: string | null;
}

export function auditFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(kittenHome(env), 'audit', 'commands.jsonl');
}

export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

export async function appendAudit(entry: AuditEntry, file: string = auditFile()): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  // One write with O_APPEND: concurrent Kitten processes never interleave inside a line.
  await appendFile(file, `${JSON.stringify(entry)}\n`, { mode: 0o600, flag: 'a' });
}

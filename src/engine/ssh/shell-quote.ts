/**
 * An argv becomes one POSIX shell command line for the remote side of an SSH exec (sshd always
 * hands the command to the login shell). Every word is single-quoted unless it is made only of
 * characters no shell treats specially, so the remote argv is exactly the local one.
 */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quoteWord(word: string): string {
  if (word !== '' && SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function quoteArgv(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ');
}

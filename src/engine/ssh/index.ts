export { connectSsh, type SshConnectOptions } from './connect.js';
export { type SshExecOptions, type SshExecResult, sshExec } from './exec.js';
export {
  fingerprint,
  type HostKeyVerdict,
  hostLookupName,
  type KnownHostEntry,
  parseKnownHosts,
  verifyHostKey,
} from './known-hosts.js';
export { quoteArgv, quoteWord } from './shell-quote.js';
export { formatSshTarget, parseSshTarget, type SshTarget } from './target.js';

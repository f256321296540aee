import { userInfo } from 'node:os';
import { UsageError } from '../errors.js';

/** Where to SSH: the parsed form of `user@host[:port]` (also `ssh://user@host:port`, `[::1]:2222`). */
export interface SshTarget {
  user: string;
  host: string;
  port: number;
}

// A hostname, an IPv4 address, or (inside brackets) an IPv6 address; nothing a shell would read.
const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const IPV6 = /^[0-9A-Fa-f:.]+(?:%[A-Za-z0-9]+)?$/;
const USER = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

function invalid(text: string, why: string): UsageError {
  return new UsageError('SSH_TARGET_INVALID', `invalid SSH target "${text}": ${why}`, {
    hint: 'write it as user@host or user@host:port (for example deploy@10.0.0.5:2222)',
  });
}

function defaultUser(): string {
  try {
    return process.env.USER || userInfo().username;
  } catch {
    return 'root';
  }
}

export function parseSshTarget(text: string, fallbackUser: string = defaultUser()): SshTarget {
  let rest = text.trim();
  if (rest.startsWith('ssh://')) rest = rest.slice('ssh://'.length).replace(/\/$/, '');
  if (rest === '') throw invalid(text, 'it is empty');
  let user = fallbackUser;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (!USER.test(user)) throw invalid(text, `"${user}" is not a valid user name`);
  }
  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw invalid(text, 'an opening "[" has no closing "]"');
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '' && !after.startsWith(':'))
      throw invalid(text, `unexpected "${after}" after the address`);
    portText = after === '' ? undefined : after.slice(1);
    if (!IPV6.test(host) && !HOSTNAME.test(host))
      throw invalid(text, `"${host}" is not a host name or address`);
  } else {
    const colons = rest.split(':').length - 1;
    if (colons > 1) {
      // A bare IPv6 address without a port.
      host = rest;
      if (!IPV6.test(host)) throw invalid(text, `"${host}" is not a host name or address`);
    } else {
      const [h, p] = rest.split(':');
      host = h ?? '';
      portText = p;
      if (!HOSTNAME.test(host)) throw invalid(text, `"${host}" is not a host name or address`);
    }
  }
  let port = 22;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) throw invalid(text, `"${portText}" is not a port number`);
    port = Number(portText);
    if (port < 1 || port > 65535) throw invalid(text, `port ${port} is outside 1-65535`);
  }
  return { user, host, port };
}

export function formatSshTarget(target: SshTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${target.user}@${host}${target.port === 22 ? '' : `:${target.port}`}`;
}

/**
 * `:` command mode, as in k9s: `:pods`, `:deploy`, `:ns shop`, `:ns all`, `:ctx NAME`, `:q`.
 * Pure: the app decides what each parsed command does.
 */
export interface TabAliases {
  /** Stable id of the tab (`issues`, `stack`, or a resource kind such as `Pod`). */
  id: string;
  /** Every word that names it, lower-case: `pods`, `pod`, `po`. */
  aliases: readonly string[];
}

export type CommandLine =
  | { type: 'tab'; id: string; namespace?: string | null }
  | { type: 'namespace'; namespace: string | null }
  | { type: 'context'; name: string }
  | { type: 'quit' }
  | { type: 'help' }
  | { type: 'error'; message: string };

export function parseCommandLine(text: string, tabs: readonly TabAliases[]): CommandLine {
  const words = text.trim().replace(/^:/, '').trim().split(/\s+/).filter(Boolean);
  const [head, ...rest] = words;
  if (!head) return { type: 'error', message: 'empty command; try :pods, :ns NAME, :ctx NAME or :q' };
  const verb = head.toLowerCase();
  if (verb === 'q' || verb === 'q!' || verb === 'quit' || verb === 'exit') return { type: 'quit' };
  if (verb === 'help' || verb === 'h' || verb === '?') return { type: 'help' };
  if (verb === 'ns' || verb === 'namespace') {
    const name = rest[0];
    if (!name) return { type: 'error', message: ':ns needs a namespace, e.g. :ns shop (or :ns all)' };
    return { type: 'namespace', namespace: name === 'all' || name === '-A' || name === '*' ? null : name };
  }
  if (verb === 'ctx' || verb === 'context') {
    const name = rest[0];
    if (!name) return { type: 'error', message: ':ctx needs a context name, e.g. :ctx prod-eu' };
    return { type: 'context', name };
  }
  const tab = tabs.find((t) => t.id.toLowerCase() === verb || t.aliases.includes(verb));
  if (tab) {
    // `:pods shop` is k9s shorthand for switching tab and namespace at once.
    const ns = rest[0];
    if (ns) return { type: 'tab', id: tab.id, namespace: ns === 'all' || ns === '-A' ? null : ns };
    return { type: 'tab', id: tab.id };
  }
  const known = tabs.flatMap((t) => t.aliases.slice(0, 1)).join(', ');
  return { type: 'error', message: `unknown command :${head}; try ${known}, ns, ctx or q` };
}

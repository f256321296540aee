import { UsageError } from '../errors.js';
import type { Issue } from './issue.js';

/** Finds an issue by its id or a unique prefix of it, as git and docker take short ids. */
export function findIssue(issues: readonly Issue[], idOrPrefix: string): Issue {
  const wanted = idOrPrefix.trim().toLowerCase();
  if (!/^[0-9a-f]{1,64}$/.test(wanted)) {
    throw new UsageError('ISSUE_ID_INVALID', `"${idOrPrefix}" is not an issue id`, {
      hint: 'issue ids are hexadecimal; list them with `kitten codex issues`',
    });
  }
  const exact = issues.find((i) => i.id === wanted);
  if (exact) return exact;
  const matches = issues.filter((i) => i.id.startsWith(wanted));
  const [only] = matches;
  if (matches.length === 1 && only) return only;
  if (matches.length === 0) {
    throw new UsageError('ISSUE_NOT_FOUND', `no issue with id ${idOrPrefix}`, {
      hint: 'list current issues with `kitten codex issues`; ids change only when the object or analyzer does',
    });
  }
  throw new UsageError(
    'ISSUE_ID_AMBIGUOUS',
    `issue id ${idOrPrefix} is ambiguous: it matches ${matches.length} issues`,
    {
      hint: `use more characters: ${matches
        .slice(0, 4)
        .map((i) => `${i.id.slice(0, Math.max(wanted.length + 2, 7))} (${i.kind} ${i.namespace}/${i.name})`)
        .join(', ')}`,
    },
  );
}

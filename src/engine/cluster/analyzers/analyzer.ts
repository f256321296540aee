import type { Finding, ObjectRef, Severity } from '../issue.js';
import type { KubeObject } from '../objects.js';
import type { ClusterSnapshot } from '../snapshot.js';

export interface AnalyzerContext {
  snapshot: ClusterSnapshot;
  /** Pinned by tests; "how long has this been failing" is relative to it. */
  now: Date;
}

/** One object with what is wrong with it. The analysis turns these into Issues with ids. */
export interface AnalyzerResult {
  object: KubeObject;
  parent?: ObjectRef;
  severity: Severity;
  findings: Finding[];
}

/**
 * An analyzer is a pure function over a snapshot, registered by name (as K8sGPT's are). `kind` is
 * the kind it reports on, so `codex issues --kind` can skip the others.
 */
export interface Analyzer {
  name: string;
  kind: string;
  description: string;
  analyze(context: AnalyzerContext): AnalyzerResult[];
}

const registry = new Map<string, Analyzer>();

/** Adds an analyzer (a plugin may register its own); a name registered twice replaces the first. */
export function registerAnalyzer(analyzer: Analyzer): void {
  registry.set(analyzer.name, analyzer);
}

export function unregisterAnalyzer(name: string): boolean {
  return registry.delete(name);
}

export function registeredAnalyzers(): Analyzer[] {
  return [...registry.values()];
}

export function analyzersFor(kind: string): Analyzer[] {
  return registeredAnalyzers().filter((a) => a.kind === kind);
}

/** The worse of the findings' severities decides; helpers keep that rule in one place. */
export function worst(severities: Severity[]): Severity {
  return severities.includes('critical') ? 'critical' : 'warning';
}

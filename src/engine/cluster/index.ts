/**
 * The cluster engine's public face, for the TUI, the HTTP API and plugins: sources (snapshot
 * file, live), the resource registry, analyzers and issues.
 */

export { ageOf, humanDuration } from './age.js';
export {
  type AnalysisOptions,
  analyzeSnapshot,
  countIssues,
  type IssueCounts,
  type Visibility,
} from './analysis.js';
export {
  type Analyzer,
  type AnalyzerContext,
  type AnalyzerResult,
  analyzersFor,
  registerAnalyzer,
  registeredAnalyzers,
  unregisterAnalyzer,
} from './analyzers/analyzer.js';
export {
  type FailureMode,
  type Finding,
  type Issue,
  issueId,
  type ObjectRef,
  type Severity,
} from './issue.js';
export { findIssue } from './issue-lookup.js';
export { LiveSource, snapshotKinds } from './live.js';
export type { KubeObject } from './objects.js';
export { openClusterSource, type SourceOptions } from './open.js';
export { podReadyText, podRestartsText, podStatusText } from './pod-status.js';
export {
  type Capability,
  type ColumnHeader,
  columnsFor,
  findKind,
  hasCapability,
  type ResourceColumn,
  type ResourceKind,
  type ResourceRow,
  registerResourceKind,
  resolveKind,
  resourceKinds,
  rowsFor,
} from './registry.js';
export { podsOwnedBy, topOwner } from './relations.js';
export { ClusterSnapshot } from './snapshot.js';
export { loadSnapshot, parseSnapshotText, SnapshotSource } from './snapshot-file.js';
export type { ClusterSource, ListOptions, WatchEvent, WatchHandle } from './source.js';
export { visibleObjects, visibleSnapshot } from './visible.js';

import { Box, Text, useApp } from 'ink';
import { useCallback, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { toYaml } from '../output/format.js';
import { ErrorBoundary } from './components/error-boundary.js';
import { Header } from './components/header.js';
import { LineInput } from './components/line-input.js';
import { Footer, type Status, StatusLine } from './components/status-line.js';
import { TabBar } from './components/tab-bar.js';
import { Table } from './components/table.js';
import { KeyRouter, useKeys } from './components/use-keys.js';
import { useLine } from './components/use-line.js';
import { type TerminalSize, useTerminalSize } from './components/use-terminal-size.js';
import { parseCommandLine } from './model/command-line.js';
import { containerActionKeys } from './model/container-actions.js';
import { fuzzyFilter } from './model/fuzzy.js';
import { issueCounts } from './model/issue-rows.js';
import { footerKeys } from './model/keys.js';
import { editLine } from './model/line-edit.js';
import { reselect } from './model/selection.js';
import { buildTabs, ISSUES_TAB, type Tab } from './model/tabs.js';
import { type Motion, move, viewportFor } from './model/viewport.js';
import type { ContainerAction, IssueView, PlanMode, RowView, Session } from './session/port.js';
import { AskView } from './views/ask.js';
import { ContainerActionPrompt } from './views/container-action.js';
import { DetailsView } from './views/details.js';
import { HelpOverlay } from './views/help.js';
import { LogsView } from './views/logs.js';
import { PlanScreen } from './views/plan.js';
import { PlanContextDialog } from './views/plan-context.js';

export interface AppProps {
  session: Session;
  /** Tab id to start on (`issues` for `codex tui`). */
  initialTab?: string;
  /** Fixed size for tests; the real app follows the terminal. */
  size?: TerminalSize;
}

type Screen =
  | { type: 'main' }
  | { type: 'help' }
  | { type: 'details'; title: string; load: () => Promise<string> }
  | {
      type: 'logs';
      title: string;
      open: (follow: boolean, signal: AbortSignal, container?: string) => AsyncIterable<string>;
      containers: string[];
    }
  | { type: 'plan-context'; issue: IssueView; mode: PlanMode }
  | { type: 'plan'; issue: IssueView; mode: PlanMode; context: string }
  | { type: 'ask' }
  | { type: 'action'; action: ContainerAction; row: RowView };

interface Place {
  key: string | undefined;
  index: number;
  offset: number;
}

type InputMode = 'none' | 'filter' | 'command';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Lines the frame leaves to the body: header, tabs, status/input line, footer. */
const CHROME = 4;

/** The y/N box under the Stack table: border, command, why, question. */
const ACTION_PROMPT = 5;

export function App(props: AppProps) {
  return (
    <KeyRouter>
      <Screen {...props} />
    </KeyRouter>
  );
}

function Screen({ session, initialTab, size: fixedSize }: AppProps) {
  const { exit } = useApp();
  const size = useTerminalSize(fixedSize);
  // Ink clears the whole screen when a frame is as tall as the terminal; one row less keeps
  // redraws incremental (no flicker).
  const height = Math.max(8, size.rows - 1);
  const width = Math.max(40, size.columns);
  const bodyHeight = height - CHROME;

  const data = useSyncExternalStore(session.subscribe, session.state);
  const tabs = useMemo(() => buildTabs(data), [data]);
  const [activeId, setActiveId] = useState(initialTab ?? ISSUES_TAB);
  // A tab that is not there (yet, or at all: no cluster) falls back to Issues, or to Stack when
  // there is no cluster to have issues.
  const found = tabs.findIndex((t) => t.id === activeId);
  const activeIndex = found >= 0 ? found : data.kinds.length === 0 && !data.activity ? 1 : 0;
  const tab = tabs[activeIndex] as Tab;

  const [filters, setFilters] = useState<Record<string, string>>({});
  // The input mode and the command line live in refs as well as state: a key handler must see
  // the `:` typed just before it even when its render has not happened yet.
  const [input, setInputState] = useState<InputMode>('none');
  const mode = useRef<InputMode>('none');
  const setInput = (next: InputMode) => {
    mode.current = next;
    setInputState(next);
  };
  const commandLine = useLine();
  const [screen, setScreen] = useState<Screen>({ type: 'main' });
  const [status, setStatus] = useState<Status | null>(null);
  const places = useRef(new Map<string, Place>());
  const [, setTick] = useState(0);
  const redraw = useCallback(() => setTick((t) => t + 1), []);

  const filter = filters[tab.id] ?? '';
  const rows = useMemo(() => fuzzyFilter(tab.rows, filter, (row) => row.cells.join(' ')), [tab.rows, filter]);

  // Where the cursor is: the remembered row key wins over the remembered index.
  const place = places.current.get(tab.id) ?? { key: undefined, index: 0, offset: 0 };
  const selected =
    rows[place.index]?.key === place.key
      ? place.index
      : reselect(
          place.key,
          place.index,
          rows.map((r) => r.key),
        );
  const tableBody = bodyHeight - 1;
  const view = viewportFor(rows.length, selected, place.offset, tableBody);
  const current = rows[selected];
  places.current.set(tab.id, { key: current?.key, index: selected, offset: view.offset });

  const counts = useMemo(() => issueCounts(data.issues), [data.issues]);
  const back = useCallback(() => setScreen({ type: 'main' }), []);
  const actionDone = useCallback((outcome: Status) => {
    setStatus(outcome);
    setScreen({ type: 'main' });
  }, []);

  // Keys can arrive faster than frames (key repeat, paste): every handler reads and writes the
  // latest place and tab through refs, never a value captured by the last render.
  const activeRef = useRef(tab.id);
  activeRef.current = tab.id;
  const moveBy = (motion: Motion) => {
    const at = places.current.get(tab.id) ?? place;
    const index = move(at.index, rows.length, motion, tableBody);
    places.current.set(tab.id, { key: rows[index]?.key, index, offset: at.offset });
    redraw();
  };
  const switchTab = (index: number, relative: boolean) => {
    const from = tabs.findIndex((t) => t.id === activeRef.current);
    const target = relative ? from + index : index;
    const next = tabs[(target + tabs.length) % tabs.length];
    if (!next) return;
    activeRef.current = next.id;
    setActiveId(next.id);
  };
  // A new filter puts the cursor on the best match, as k9s does.
  const setFilter = (edit: (value: string) => string) => {
    places.current.set(tab.id, { key: undefined, index: 0, offset: 0 });
    setFilters((f) => ({ ...f, [tab.id]: edit(f[tab.id] ?? '') }));
  };
  const fail = (text: string) => setStatus({ tone: 'error', text });

  const issueOf = (row: RowView | undefined): IssueView | undefined =>
    row ? data.issues.find((i) => i.id === row.key) : undefined;

  const openDetails = (row: RowView) => {
    if (tab.role === 'issues') {
      const issue = issueOf(row);
      if (issue)
        setScreen({
          type: 'details',
          title: `Issue ${issue.kind} ${row.name}`,
          load: async () => toYaml(issue),
        });
      return;
    }
    const kind = tab.id;
    setScreen({
      type: 'details',
      title: `${tab.title} ${row.namespace ? `${row.namespace}/` : ''}${row.name}`,
      load: () => session.describe(kind, row),
    });
  };

  const runCommandLine = (text: string) => {
    const parsed = parseCommandLine(text, tabs);
    switch (parsed.type) {
      case 'quit':
        exit();
        return;
      case 'help':
        setScreen({ type: 'help' });
        return;
      case 'error':
        fail(parsed.message);
        return;
      case 'tab':
        activeRef.current = parsed.id;
        setActiveId(parsed.id);
        if (parsed.namespace !== undefined) changeNamespace(parsed.namespace);
        return;
      case 'namespace':
        changeNamespace(parsed.namespace);
        return;
      case 'context':
        setStatus({ tone: 'info', text: `switching to context ${parsed.name}…` });
        session
          .setContext(parsed.name)
          .then(() => setStatus({ tone: 'ok', text: `context ${parsed.name}` }))
          .catch((e: unknown) => fail(messageOf(e)));
        return;
    }
  };

  const changeNamespace = (namespace: string | null) => {
    session
      .setNamespace(namespace)
      .then(() => setStatus({ tone: 'ok', text: namespace ? `namespace ${namespace}` : 'all namespaces' }))
      .catch((e: unknown) => fail(messageOf(e)));
  };

  useKeys(
    (text, key) => {
      if (mode.current === 'filter') {
        if (key.escape) {
          setFilter(() => '');
          setInput('none');
        } else if (key.return) setInput('none');
        else if (key.upArrow) moveBy('up');
        else if (key.downArrow) moveBy('down');
        else setFilter((value) => editLine(value, text, key));
        return;
      }
      if (mode.current === 'command') {
        if (key.escape) setInput('none');
        else if (key.return) {
          setInput('none');
          runCommandLine(commandLine.current());
        } else commandLine.edit(text, key);
        return;
      }
      setStatus(null);
      const motion: Motion | null =
        key.upArrow || text === 'k'
          ? 'up'
          : key.downArrow || text === 'j'
            ? 'down'
            : key.pageUp || (key.ctrl && text === 'b')
              ? 'pageUp'
              : key.pageDown || (key.ctrl && text === 'f')
                ? 'pageDown'
                : text === 'g' || key.home
                  ? 'top'
                  : text === 'G' || key.end
                    ? 'bottom'
                    : null;
      if (motion) return moveBy(motion);
      if (key.leftArrow || (key.shift && key.tab)) return switchTab(-1, true);
      if (key.rightArrow || key.tab) return switchTab(1, true);
      if (/^[1-9]$/.test(text)) {
        const index = Number(text) - 1;
        if (index < tabs.length) switchTab(index, false);
        return;
      }
      if (text === 'q') return exit();
      if (text === '?') return setScreen({ type: 'help' });
      if (text === '/') return setInput('filter');
      if (text === ':') {
        commandLine.set('');
        return setInput('command');
      }
      if (text === 'a') return setScreen({ type: 'ask' });
      if (key.escape) {
        if (filter) setFilter(() => '');
        return;
      }
      if (key.return) {
        if (current) openDetails(current);
        return;
      }
      if (text === 'l') {
        if (!tab.loggable || !current) return fail(`${tab.title} have no logs; select a pod or a container`);
        const kind = tab.id;
        const row = current;
        setScreen({
          type: 'logs',
          title: `${row.namespace ? `${row.namespace}/` : ''}${row.name}`,
          open: (follow, signal, container) =>
            session.logs({ kind, row, follow, signal, ...(container ? { container } : {}) }),
          containers: session.logContainers(kind, row),
        });
        return;
      }
      const action = tab.role === 'stack' ? containerActionKeys[text] : undefined;
      if (action) {
        if (!current) return fail(`no container selected to ${action}`);
        return setScreen({ type: 'action', action, row: current });
      }
      if (text === 'p' || text === 'r') {
        const issue = tab.role === 'issues' ? issueOf(current) : undefined;
        if (!issue) return fail('select an issue on the Issues tab first (press 1)');
        setScreen({ type: 'plan-context', issue, mode: text === 'p' ? 'remediation' : 'rca' });
      }
    },
    { isActive: screen.type === 'main' },
  );

  const table = (offset: number, height: number) => (
    <Table
      columns={tab.columns}
      rows={rows}
      allRows={tab.rows}
      selected={selected}
      offset={offset}
      height={height}
      width={width}
      emptyText={filter ? `Nothing matches /${filter}` : tab.emptyText}
    />
  );
  const body = (() => {
    switch (screen.type) {
      case 'help':
        return <HelpOverlay onClose={back} width={width} height={bodyHeight} />;
      case 'details':
        return (
          <DetailsView
            title={screen.title}
            load={screen.load}
            height={bodyHeight}
            width={width}
            onClose={back}
          />
        );
      case 'logs':
        return (
          <LogsView
            title={screen.title}
            open={screen.open}
            containers={screen.containers}
            height={bodyHeight}
            width={width}
            onClose={back}
          />
        );
      case 'plan-context':
        return (
          <PlanContextDialog
            issue={screen.issue}
            mode={screen.mode}
            width={width}
            onCancel={back}
            onSubmit={(context) =>
              setScreen({ type: 'plan', issue: screen.issue, mode: screen.mode, context })
            }
          />
        );
      case 'plan':
        return (
          <PlanScreen
            session={session}
            issue={screen.issue}
            mode={screen.mode}
            context={screen.context}
            height={bodyHeight}
            width={width}
            onClose={back}
          />
        );
      case 'ask':
        return <AskView session={session} onClose={back} height={bodyHeight} width={width} />;
      case 'action': {
        // The shorter table still shows the row being acted on.
        const height = Math.max(2, bodyHeight - ACTION_PROMPT);
        const short = viewportFor(rows.length, selected, view.offset, height - 1);
        return (
          <Box flexDirection="column" height={bodyHeight}>
            {table(short.offset, height)}
            <ContainerActionPrompt
              session={session}
              action={screen.action}
              row={screen.row}
              width={width}
              onDone={actionDone}
            />
          </Box>
        );
      }
      case 'main':
        return table(view.offset, bodyHeight);
    }
  })();

  const bottomLine =
    input === 'filter' ? (
      <LineInput
        prompt="/"
        value={filter}
        width={width}
        placeholder="fuzzy filter; Enter keeps it, Esc clears"
      />
    ) : input === 'command' ? (
      <LineInput
        prompt=":"
        value={commandLine.value}
        width={width}
        placeholder="pods, deploy, ns NAME, ctx NAME, q"
      />
    ) : status ? (
      <StatusLine status={status} width={width} />
    ) : data.problem ? (
      <StatusLine status={{ tone: 'error', text: data.problem }} width={width} />
    ) : data.activity ? (
      <StatusLine status={{ tone: 'info', text: data.activity }} width={width} />
    ) : filter ? (
      <Text color="cyan" wrap="truncate">
        /{filter}{' '}
        <Text color="gray">
          ({rows.length} of {tab.rows.length}; Esc clears)
        </Text>
      </Text>
    ) : (
      <Text color="gray" wrap="truncate">
        {tab.title}: {rows.length} {rows.length === 1 ? 'row' : 'rows'}
        {rows.length > 0 ? ` · ${selected + 1}/${rows.length}` : ''}
      </Text>
    );

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header header={data.header} critical={counts.critical} warning={counts.warning} width={width} />
      <TabBar
        tabs={tabs.map((t) => ({ id: t.id, title: t.title, count: t.rows.length }))}
        active={activeIndex}
        width={width}
      />
      <Box height={bodyHeight} flexDirection="column">
        <ErrorBoundary resetKey={screen.type}>{body}</ErrorBoundary>
      </Box>
      {bottomLine}
      <Footer
        text={
          screen.type === 'main'
            ? footerKeys(tab.role, tab.loggable)
            : screen.type === 'action'
              ? "y run it · any other key: don't"
              : 'Esc back · q quit from the tables'
        }
        width={width}
      />
    </Box>
  );
}

import { Text } from 'ink';

export interface TabBarProps {
  tabs: { id: string; title: string; count: number }[];
  active: number;
  width: number;
}

/** The tab strip; the number before each title is its `1`–`9` key. */
export function TabBar({ tabs, active, width }: TabBarProps) {
  // Scroll the strip so the active tab is always visible on narrow terminals.
  const labels = tabs.map((t, i) => `${i < 9 ? `${i + 1}:` : ''}${t.title}(${t.count})`);
  let start = 0;
  const widthFrom = (from: number, to: number) =>
    labels.slice(from, to + 1).reduce((s, l) => s + l.length + 2, 0);
  while (start < active && widthFrom(start, active) > width) start++;
  const shown: { label: string; index: number }[] = [];
  let used = 0;
  for (let i = start; i < labels.length; i++) {
    const label = labels[i]!;
    if (used + label.length + 2 > width - 2) break;
    shown.push({ label, index: i });
    used += label.length + 2;
  }
  return (
    <Text wrap="truncate">
      {shown.map(({ label, index }) => (
        <Text
          key={tabs[index]!.id}
          inverse={index === active}
          bold={index === active}
          color={index === active ? 'cyan' : undefined}
        >
          {` ${label} `}
        </Text>
      ))}
      {start > 0 || shown.length < tabs.length ? <Text color="gray"> …</Text> : null}
    </Text>
  );
}

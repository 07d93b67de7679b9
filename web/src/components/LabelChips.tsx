import type { Label } from '../types.ts';

export function LabelChips({ labels }: { labels: Label[] }) {
  if (labels.length === 0) return <span class="none">none</span>;
  return (
    <ul class="chips" aria-label="Labels">
      {labels.map((label) => (
        <li key={label.key} class="chip" data-label={label.key}>
          {label.key}={label.value}
        </li>
      ))}
    </ul>
  );
}

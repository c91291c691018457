/** One benchmark figure and the baseline it is compared with, measured in the same run. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  detail?: string;
  /** Lower is better unless stated; the ratio printed is value / baseline.value. */
  higherIsBetter?: boolean;
  baseline?: { name: string; value: number; detail?: string };
}

/** Median and 90th percentile of a sample. */
export function summarize(samples: readonly number[]): { median: number; p90: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { median: at(0.5), p90: at(0.9) };
}

/** Formats a figure as the lines `npm run bench` prints. */
export function formatFigure(figure: Figure): string {
  const value = `${figure.value.toFixed(figure.value < 10 ? 2 : 1)} ${figure.unit}`;
  const lines = [`${figure.name}: ${value}${figure.detail ? ` (${figure.detail})` : ''}`];
  if (figure.baseline) {
    const ratio = figure.value / figure.baseline.value;
    const base = `${figure.baseline.value.toFixed(figure.baseline.value < 10 ? 2 : 1)} ${figure.unit}`;
    const verdict = figure.higherIsBetter
      ? `${ratio.toFixed(2)}x the baseline`
      : ratio <= 1
        ? `${ratio.toFixed(3)} of the baseline (${(1 / ratio).toFixed(1)}x faster)`
        : `${ratio.toFixed(2)}x the baseline (slower)`;
    lines.push(
      `  baseline ${figure.baseline.name}: ${base}${figure.baseline.detail ? ` (${figure.baseline.detail})` : ''}`,
      `  ratio: ${verdict}`,
    );
  }
  return lines.join('\n');
}

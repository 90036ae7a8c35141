// A one-line progress bar for long commands. It draws only on a terminal, so that output
// piped to a file or read by a test stays clean.

/** What the bar writes to: process.stderr, or any stream-like object in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface Progress {
  /** Records n more units of work done (default 1). */
  tick(n?: number): void;
  /** Draws the finished bar and ends its line. */
  done(): void;
}

const BAR_WIDTH = 30;

export function createProgress(label: string, total: number, stream: ProgressStream = process.stderr): Progress {
  let completed = 0;
  let shown = '';
  let finished = false;

  const draw = () => {
    if (!stream.isTTY) return;
    const fraction = total > 0 ? Math.min(completed / total, 1) : 1;
    const filled = Math.round(fraction * BAR_WIDTH);
    const percent = Math.floor(fraction * 100);
    // Redraw only when the bar or the percentage moves: ticks can come far faster than a terminal repaints.
    const key = `${filled}|${percent}`;
    if (key === shown) return;
    shown = key;
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${percent}% ${completed}/${total}`;
    // Cut to the terminal's width, or the line wraps and \r no longer returns to its start.
    stream.write(`\r${line.slice(0, Math.max((stream.columns || 80) - 1, 1))}\x1b[K`);
  };

  return {
    tick(n = 1) {
      if (finished) return;
      completed = Math.min(completed + n, total);
      draw();
    },
    done() {
      if (finished) return;
      finished = true;
      completed = total;
      draw();
      if (stream.isTTY) stream.write('\n');
    },
  };
}

import type { Writable } from 'node:stream';

/** Where a command writes: results on stdout, notes and progress on stderr. */
export class Output {
  private progressShown = '';

  constructor(
    private readonly stdout: Writable & { isTTY?: boolean },
    private readonly stderr: Writable & { isTTY?: boolean },
    /** `--json`: stdout carries one JSON document, nothing else. */
    readonly json: boolean,
    /** `--quiet`: no notes, no progress. */
    private readonly quiet: boolean,
  ) {}

  /** A result for people (not written with `--json`). */
  print(text: string): void {
    if (this.json) return;
    this.endProgress();
    this.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** The command's result with `--json`. */
  data(value: unknown): void {
    if (!this.json) return;
    this.endProgress();
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A side remark for people, on stderr. */
  note(text: string): void {
    if (this.quiet) return;
    this.endProgress();
    this.stderr.write(`${text}\n`);
  }

  /** An error, on stderr whatever `--quiet` says. */
  error(text: string): void {
    this.endProgress();
    this.stderr.write(`${text}\n`);
  }

  /**
   * How far a wait got, on stderr: one line rewritten in place on a terminal, a new line for each
   * change elsewhere (logs, CI).
   */
  progress(text: string): void {
    if (this.quiet || text === this.progressShown) return;
    if (this.stderr.isTTY) this.stderr.write(`\r\x1b[2K${text}`);
    else this.stderr.write(`${text}\n`);
    this.progressShown = text;
  }

  private endProgress(): void {
    if (this.progressShown && this.stderr.isTTY) this.stderr.write('\n');
    this.progressShown = '';
  }
}

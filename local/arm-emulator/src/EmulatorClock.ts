/**
 * The emulator's notion of now: wall time plus an offset that the control API can advance, so
 * tests expire tokens and finish operations without sleeping.
 *
 * @example
 * const clock = new EmulatorClock();
 * clock.advance(3600_000); // an hour later, as far as the emulator is concerned
 */
export class EmulatorClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  get offset(): number {
    return this.offsetMs;
  }

  set offset(ms: number) {
    this.offsetMs = ms;
  }
}

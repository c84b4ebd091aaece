/**
 * The emulator's clock: real time, optionally sped up, plus manual jumps.
 * Rate-limit windows, `retry-after`, timestamps and `updated_at` all read it,
 * so a test can cross an hour of secondary limits in milliseconds.
 */
export class Clock {
  private readonly startReal = Date.now();
  private offset = 0;

  constructor(
    private readonly start: number = Date.now(),
    /** How many emulated milliseconds pass per real millisecond. */
    private speed = 1,
  ) {}

  now(): number {
    return this.start + (Date.now() - this.startReal) * this.speed + this.offset;
  }

  date(): Date {
    return new Date(this.now());
  }

  /** GitHub's timestamp format: ISO 8601 without milliseconds. */
  iso(): string {
    return this.date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  advance(ms: number): void {
    this.offset += ms;
  }

  setSpeed(speed: number): void {
    // Keep now() continuous across the change.
    const current = this.now();
    this.speed = speed;
    this.offset += current - this.now();
  }
}

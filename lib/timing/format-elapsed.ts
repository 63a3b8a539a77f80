// Chapter 02: elapsed times printed as Python prints a timedelta (tested in test/timing/format-elapsed.test.ts).

const MICROS_PER_DAY = 86_400_000_000;

/**
 * Formats a duration as `str(datetime.timedelta(seconds=...))` does: `H:MM:SS.ffffff`, the
 * fraction left out when it is zero, days written before the time (`1 day, 0:00:01`). Rounded
 * to the microsecond, half to even as timedelta rounds.
 * @throws TypeError when `seconds` is not a finite number >= 0.
 */
export function formatElapsed(seconds: number): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new TypeError(`Expected \`seconds\` to be a finite number >= 0, got \`${seconds}\` (${typeof seconds})`);
  }
  const scaled = seconds * 1e6;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  const micros = diff > 0.5 || (diff === 0.5 && floor % 2 === 1) ? floor + 1 : floor;

  const days = Math.floor(micros / MICROS_PER_DAY);
  const inDay = micros % MICROS_PER_DAY;
  const h = Math.floor(inDay / 3_600_000_000);
  const m = Math.floor(inDay / 60_000_000) % 60;
  const s = Math.floor(inDay / 1_000_000) % 60;
  const us = inDay % 1_000_000;
  const time = `${h}:${pad(m, 2)}:${pad(s, 2)}${us === 0 ? '' : `.${pad(us, 6)}`}`;
  return days === 0 ? time : `${days} day${days === 1 ? '' : 's'}, ${time}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

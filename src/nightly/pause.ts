// Named points where a test can stop the nightly to kill it there (SIGKILL tests). With
// QINGXI_NIGHTLY_PAUSE=<point> the process writes QINGXI_NIGHTLY_PAUSE_MARKER (a file path) when it
// reaches that point and then blocks synchronously — inside a SQLite transaction too — until it is
// killed (at most 10 minutes). Unset (always, in production), a pause point does nothing.
import { writeFileSync } from 'node:fs';

export type PausePoint = 'reading' | 'delivery' | 'ledger-commit' | 'report';

export function pauseAt(point: PausePoint): void {
  if (process.env['QINGXI_NIGHTLY_PAUSE'] !== point) return;
  const marker = process.env['QINGXI_NIGHTLY_PAUSE_MARKER'];
  if (marker) writeFileSync(marker, point);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600_000);
}

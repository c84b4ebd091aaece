/**
 * A progress bar for long runs (creating hundreds of issues takes minutes under
 * GitHub's limits). Only on a terminal: it draws on the process's stderr.
 */
import { Presets, SingleBar } from 'cli-progress';

export function progressBar(): { tick: (done: number, total: number, ticket: string) => void; stop: () => void } {
  const bar = new SingleBar(
    { format: 'syncing {bar} {value}/{total} tickets · {ticket}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  let started = false;
  return {
    tick: (done, total, ticket) => {
      if (!started) bar.start(total, 0, { ticket });
      started = true;
      bar.update(done, { ticket });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

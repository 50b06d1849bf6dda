// The one kind of user error: bad usage or unusable input, said in Simplified Chinese. The CLI catches
// it once (src/cli/main.ts: message on stderr, exit 2); the web page shows its message as the reason a
// run failed. Narrower kinds (a bad config, an unusable output folder, an unreadable 台账 …) extend it
// so a caller can still tell them apart; an error that is not a UsageError is an internal failure.
export class UsageError extends Error {
  /** the command's usage text, printed after the message (option errors) */
  readonly usage?: string;

  constructor(message: string, opts: { usage?: string } = {}) {
    super(message);
    this.name = 'UsageError';
    if (opts.usage !== undefined) this.usage = opts.usage;
  }
}

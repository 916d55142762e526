// The pace of outgoing email, per process: at most `maxConnections` messages on the wire at once,
// message starts spaced evenly at `maxPerSecond` (no bursts), and a pause for everyone after the
// server throttles us (a 4xx reply such as 421 or 454: RFC 5321 §4.2.1, "transient negative
// completion": the same message may be sent again later). The mail step (pipeline/mail-step.ts)
// runs every send through `run`, with the deadline its lease allows.

export interface SendPaceOptions {
  /** message starts per second; 0 = no limit */
  maxPerSecond: number;
  /** messages on the wire at once (the SMTP pool's connections) */
  maxConnections: number;
  /** first pause after a throttling reply; doubles with each further one, up to maxPauseMs */
  basePauseMs?: number;
  maxPauseMs?: number;
  now?: () => number;
}

export type PacedOutcome<T> =
  | { kind: "sent"; value: T }
  /** not attempted: its turn would have come after the deadline (the caller gives it back) */
  | { kind: "deferred" }
  /** the server answered 4xx: not delivered, safe to send again after `retryAt` */
  | { kind: "throttled"; error: unknown; retryAt: number }
  | { kind: "failed"; error: unknown };

export interface SendPace {
  /** how many more sends could start by `deadline` (epoch ms), given the turns already handed out */
  room(deadline: number): number;
  /** waits for a connection and a turn, then runs send (unless the turn falls after deadline) */
  run<T>(deadline: number, send: () => Promise<T>): Promise<PacedOutcome<T>>;
  /** epoch ms until which nothing is sent after a throttling reply (0 when not paused) */
  readonly pausedUntil: number;
  readonly options: Readonly<Required<Omit<SendPaceOptions, "now">>>;
}

/** A 4xx reply from the SMTP server (nodemailer puts the reply code on the error). */
export function isThrottleReply(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === "number" && code >= 400 && code < 500;
}

export function createSendPace(o: SendPaceOptions): SendPace {
  const now = o.now ?? Date.now;
  const options = {
    maxPerSecond: o.maxPerSecond,
    maxConnections: Math.max(1, o.maxConnections),
    basePauseMs: o.basePauseMs ?? 1_000,
    maxPauseMs: o.maxPauseMs ?? 60_000,
  };
  const interval = options.maxPerSecond > 0 ? 1_000 / options.maxPerSecond : 0;
  let next = 0; // the earliest start of the next turn
  let pausedUntil = 0;
  let pauseDeclaredAt = 0;
  let pauses = 0; // throttling replies in a row (reset by a delivery)
  let free = options.maxConnections;
  // The actual start of the last send: a timer that fires late must not make the next start
  // closer than 1/maxPerSecond (so no second ever holds more than maxPerSecond starts).
  let lastStart = Number.NEGATIVE_INFINITY;
  const waiting: (() => void)[] = [];
  const spacedFrom = (): number => lastStart + interval;
  const earliest = (): number => Math.max(now(), next, pausedUntil);
  /** hands out the next turn, or null when it would start after deadline */
  const reserve = (deadline: number): number | null => {
    const start = earliest();
    if (start > deadline) return null;
    next = start + interval;
    return start;
  };
  const acquire = async (): Promise<void> => {
    if (free > 0) {
      free--;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const wake = waiting.shift();
    if (wake) wake();
    else free++;
  };
  const sleepUntil = (t: number): Promise<void> =>
    new Promise((resolve) => setTimeout(resolve, Math.max(0, t - now())));

  return {
    options,
    get pausedUntil() {
      return pausedUntil > now() ? pausedUntil : 0;
    },
    room(deadline) {
      const start = earliest();
      if (start > deadline) return 0;
      return interval === 0
        ? Number.MAX_SAFE_INTEGER
        : Math.floor((deadline - start) / interval) + 1;
    },
    async run(deadline, send) {
      await acquire();
      try {
        let turn = reserve(deadline);
        let startedAt = 0;
        for (;;) {
          if (turn === null || spacedFrom() > deadline)
            return { kind: "deferred" };
          await sleepUntil(Math.max(turn, spacedFrom()));
          // A throttling reply arrived while this one waited: queue again behind the pause.
          if (pausedUntil > turn) {
            turn = reserve(deadline);
            continue;
          }
          if (spacedFrom() > now()) continue;
          startedAt = now();
          lastStart = startedAt;
          break;
        }
        try {
          const value = await send();
          pauses = 0;
          return { kind: "sent", value };
        } catch (error) {
          if (!isThrottleReply(error)) return { kind: "failed", error };
          // Replies to sends that started before the current pause was declared belong to the
          // same episode: they keep the pause but do not lengthen it.
          if (startedAt >= pauseDeclaredAt || pausedUntil <= now()) {
            pauses++;
            pauseDeclaredAt = now();
            pausedUntil = Math.max(
              pausedUntil,
              pauseDeclaredAt +
                Math.min(
                  options.maxPauseMs,
                  options.basePauseMs * 2 ** Math.min(pauses - 1, 16),
                ),
            );
          }
          return { kind: "throttled", error, retryAt: pausedUntil };
        }
      } finally {
        release();
      }
    },
  };
}

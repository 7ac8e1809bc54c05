/**
 * Calls `onStall` when the event loop was blocked for more than `thresholdMs`, measured as the drift of a timer:
 * a tick that should come every `checkEveryMs` but comes late by more than the threshold. The stall is over by the
 * time it is seen (nothing runs during one); a stall that repeats is caught by a profile started then.
 * Returns a function that stops watching.
 */
export function watchEventLoopStalls(thresholdMs: number, onStall: (stallMs: number) => void, checkEveryMs = Math.min(100, thresholdMs)): () => void {
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const lateMs = now - last - checkEveryMs;
    last = now;
    if (lateMs > thresholdMs) onStall(lateMs);
  }, checkEveryMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Lets the event loop run (so a worker can receive a "cancel" message between batches) without the
 * 4 ms clamp of nested `setTimeout(0)`: `setImmediate` in Node, a MessageChannel elsewhere.
 * Cost: one macrotask hop (microseconds).
 */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (cb: () => void) => void };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve));
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

/**
 * `node --expose-gc --import` this into a process under test: on SIGUSR2 it collects garbage and writes
 * `heap-used <bytes>` to stderr, so a test can tell retained memory from heap the V8 merely keeps reserved.
 */
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  process.stderr.write(`heap-used ${process.memoryUsage().heapUsed}\n`);
});

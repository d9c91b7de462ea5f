// The local exchange's entry. Runs as an Electron utility process or a Node child process, like the
// engine. The matching engine, synthetic market and Kite REST/WebSocket server arrive with issue 3;
// until then this process only starts, reports itself and stays up so main's supervision is real.
function log(line: string): void {
  process.stderr.write(`[exchange ${process.pid}] ${line}\n`);
}

const parentPort = (process as { parentPort?: unknown }).parentPort;
const hosted =
  parentPort !== undefined ? 'electron-utility' : process.send !== undefined ? 'node-child' : 'none';
log(`started (${hosted}); the Kite-compatible local exchange is not built yet`);

// Stay alive until the parent goes away or asks us to stop.
const keepAlive = setInterval(() => undefined, 60_000);
const stop = (why: string): void => {
  log(`stopping: ${why}`);
  clearInterval(keepAlive);
  process.exit(0);
};
process.on('SIGTERM', () => {
  stop('SIGTERM');
});
process.on('SIGINT', () => {
  stop('SIGINT');
});
process.on('disconnect', () => {
  stop('parent went away');
});

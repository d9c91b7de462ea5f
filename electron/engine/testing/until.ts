/**
 * TEST SUPPORT. Polls `find` until it gives a value (not undefined) and resolves with it; after `ms`
 * rejects, naming `what` and adding `context()` (a log, the state seen last) to the message.
 */
export async function until<T>(
  what: string,
  find: () => T | undefined | Promise<T | undefined>,
  ms = 20_000,
  context: () => string = () => '',
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() - started > ms) {
      const more = context();
      throw new Error(`timed out waiting for ${what}${more === '' ? '' : `\n${more.slice(-4000)}`}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

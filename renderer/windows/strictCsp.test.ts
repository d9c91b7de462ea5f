import { describe, expect, it } from 'vitest';

// Runs in a fresh process (vitest isolates test files), so zod has not probed for eval yet.
describe('strictCsp', () => {
  it('lets the contract schemas be built and used without eval (no CSP violation in the window)', async () => {
    const evals: string[] = [];
    const RealFunction = globalThis.Function;
    globalThis.Function = new Proxy(RealFunction, {
      construct(target, args: unknown[]) {
        evals.push(String(args.at(-1)).slice(0, 40));
        return Reflect.construct(target, args) as object;
      },
      apply(target, self, args: unknown[]) {
        evals.push(String(args.at(-1)).slice(0, 40));
        return Reflect.apply(target, self, args) as unknown;
      },
    });
    try {
      await import('./strictCsp');
      const { SystemInfoSchema } = await import('../../shared/services/system');
      SystemInfoSchema.parse({
        name: 'ShrivenQ',
        version: '0.1.0',
        mode: 'sim',
        startedAt: 0,
        pid: 1,
        node: 'v20',
        host: 'node-child',
      });
    } finally {
      globalThis.Function = RealFunction;
    }
    expect(evals).toEqual([]);
  });
});

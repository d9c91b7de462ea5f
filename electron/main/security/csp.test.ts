import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './csp';

// @doyensec/csp-evaluator ships no types; this is the part of it the test uses.
interface Finding {
  readonly type: number;
  readonly severity: number;
  readonly directive: string;
  readonly value?: string | null;
  readonly description: string;
}
interface CspEvaluatorModule {
  CspParser: new (csp: string) => { csp: Record<string, string[] | undefined> };
  CspEvaluator: new (csp: unknown, version: number) => { evaluate(): Finding[] };
  Version: { CSP3: number };
}
const evaluator = createRequire(import.meta.url)('@doyensec/csp-evaluator') as CspEvaluatorModule;

// The library's severities: HIGH 10, SYNTAX 20, MEDIUM 30, HIGH_MAYBE 40, STRICT_CSP 45, MEDIUM_MAYBE 50.
const MEDIUM = 30;

function evaluate(csp: string) {
  const parsed = new evaluator.CspParser(csp).csp;
  return {
    directives: parsed,
    findings: new evaluator.CspEvaluator(parsed, evaluator.Version.CSP3).evaluate(),
  };
}

describe('contentSecurityPolicy (packaged)', () => {
  const csp = contentSecurityPolicy({ dev: false });
  const { directives, findings } = evaluate(csp);

  it('allows scripts and styles only from our origin: nothing inline, no eval', () => {
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'"]);
    expect(csp).not.toContain('unsafe');
  });

  it('locks down objects, base, framing, forms and connections', () => {
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['frame-src']).toEqual(["'none'"]);
    expect(directives['form-action']).toEqual(["'none'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['default-src']).toEqual(["'self'"]);
  });

  it('has no high, syntax or medium finding in Google CSP Evaluator', () => {
    const serious = findings.filter((f) => f.severity <= MEDIUM);
    expect(serious).toEqual([]);
  });

  it('never names a loopback or ws origin', () => {
    expect(csp).not.toMatch(/localhost|127\.0\.0\.1|ws:/);
  });
});

describe('contentSecurityPolicy (dev)', () => {
  const csp = contentSecurityPolicy({ dev: true, devServerUrl: 'http://localhost:5173/' });
  const { directives } = evaluate(csp);

  it('adds the dev server and its HMR socket to connect-src only', () => {
    expect(directives['connect-src']).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
    expect(directives['default-src']).toEqual(["'self'"]);
  });

  it('allows inline script and style (Fast Refresh preamble, injected CSS) but never eval', () => {
    expect(directives['script-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(directives['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it('still forbids eval, objects and framing', () => {
    expect(csp).not.toContain('unsafe-eval');
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
  });

  it('refuses a dev server that is not http on loopback, or a missing one', () => {
    expect(() => contentSecurityPolicy({ dev: true, devServerUrl: 'http://10.0.0.2:5173' })).toThrow();
    expect(() => contentSecurityPolicy({ dev: true, devServerUrl: 'https://localhost:5173' })).toThrow();
    expect(() => contentSecurityPolicy({ dev: true })).toThrow();
  });
});

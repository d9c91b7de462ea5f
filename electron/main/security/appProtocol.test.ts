import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { contentTypeFor, resolveAppProtocolPath, securityHeaders, withHeaders } from './appProtocol';

const ROOT = '/opt/shrivenq/resources/app.asar/.vite/renderer/main_window';

describe('resolveAppProtocolPath', () => {
  it.each([
    ['app://terminal/', 'index.html'],
    ['app://terminal', 'index.html'],
    ['app://terminal/index.html?window=ladder#x', 'index.html'],
    ['app://terminal/assets/index-abc123.js', 'assets/index-abc123.js'],
    ['app://terminal/assets/', 'assets/index.html'],
    ['app://terminal/fonts/Inter%20Var.woff2', 'fonts/Inter Var.woff2'],
    // The URL parser removes dot segments before we look, so this stays inside the root.
    ['app://terminal/assets/../index.html', 'index.html'],
  ])('maps %s to %s', (url, relative) => {
    expect(resolveAppProtocolPath(url, ROOT)).toBe(path.join(ROOT, relative));
  });

  it.each([
    'app://terminal/..%2f..%2fetc%2fpasswd',
    'app://terminal/..%2F..%2Fetc/passwd',
    'app://terminal/%2e%2e%2f%2e%2e%2fetc/passwd',
    'app://terminal/assets/..%5c..%5cwindows%5cwin.ini',
    'app://terminal/%5c%5cserver%5cshare',
    'app://terminal/%2fetc%2fpasswd',
    'app://terminal/C:%5cWindows%5cwin.ini',
    'app://terminal/c%3a/windows/win.ini',
    'app://terminal/index.html%00.png',
    'app://terminal/%E0%A4%A',
    'app://terminal/a//b',
    'app://terminal.evil/index.html',
    'app://evil/index.html',
    'app://user@terminal/index.html',
    'app://terminal:8080/index.html',
    'file:///etc/passwd',
    'https://terminal/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    expect(resolveAppProtocolPath(url, ROOT)).toBeNull();
  });

  it('applies the same rules with Windows paths', () => {
    const root = 'C:\\Program Files\\ShrivenQ\\resources\\app.asar\\.vite\\renderer\\main_window';
    expect(resolveAppProtocolPath('app://terminal/assets/a.js', root, path.win32)).toBe(
      `${root}\\assets\\a.js`,
    );
    expect(resolveAppProtocolPath('app://terminal/..%5c..%5cx', root, path.win32)).toBeNull();
    expect(resolveAppProtocolPath('app://terminal/D:%5cx', root, path.win32)).toBeNull();
  });

  it('never resolves outside the root, whatever the path', () => {
    const segment = fc.oneof(
      fc.constantFrom('..', '.', '%2e%2e', '..%2f', '%2e%2e%5c', '..%5c', '%2f', '%5c', 'C:', '%00', '~', ''),
      fc.string({ maxLength: 8 }).map(encodeURIComponent),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
        const file = resolveAppProtocolPath(`app://terminal/${segments.join('/')}`, ROOT);
        if (file !== null) {
          const relative = path.relative(ROOT, file);
          expect(relative.startsWith('..')).toBe(false);
          expect(path.isAbsolute(relative)).toBe(false);
          expect(relative).not.toBe('');
        }
      }),
    );
  });
});

describe('response headers', () => {
  it('carry the CSP, cross-origin isolation and nosniff', () => {
    expect(securityHeaders("default-src 'self'")).toMatchObject({
      'Content-Security-Policy': "default-src 'self'",
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  it('replace a same-named header whatever its case and keep the rest', () => {
    const merged = withHeaders(
      { 'content-security-policy': ['script-src *'], 'Content-Type': ['text/html'] },
      securityHeaders("default-src 'self'"),
    );
    expect(merged['content-security-policy']).toBeUndefined();
    expect(merged['Content-Security-Policy']).toEqual(["default-src 'self'"]);
    expect(merged['Content-Type']).toEqual(['text/html']);
  });

  it('label scripts and pages so nosniff lets them run, and unknown files as bytes', () => {
    expect(contentTypeFor('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/x/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/x/worker.mjs')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/x/a.wasm')).toBe('application/wasm');
    expect(contentTypeFor('/x/README')).toBe('application/octet-stream');
  });
});

import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createAppProtocolHandler } from './appProtocolHandler';

const ROOT = '/app/.vite/renderer/main_window';

function setup(files: Record<string, string> = { 'index.html': '<!doctype html>', 'assets/a.js': 'x()' }) {
  const readFile = vi.fn((file: string) => {
    const body = files[path.relative(ROOT, file)];
    return body === undefined
      ? Promise.reject(new Error('ENOENT'))
      : Promise.resolve(new TextEncoder().encode(body));
  });
  return { readFile, handler: createAppProtocolHandler(ROOT, "default-src 'self'", readFile) };
}

describe('createAppProtocolHandler', () => {
  it('serves index.html for / with the security headers', async () => {
    const { handler, readFile } = setup();
    const response = await handler(new Request('app://terminal/'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<!doctype html>');
    expect(readFile).toHaveBeenCalledWith(path.join(ROOT, 'index.html'));
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each([
    'app://terminal/..%2f..%2f..%2fetc%2fpasswd',
    'app://terminal/assets/..%5c..%5c..%5csecret',
    'app://other/index.html',
  ])('refuses %s without touching the disk', async (url) => {
    const { handler, readFile } = setup();
    const response = await handler(new Request(url));
    expect(response.status).toBe(403);
    expect(readFile).not.toHaveBeenCalled();
  });

  it('answers 404 for a missing file and 405 for a POST', async () => {
    const { handler } = setup();
    expect((await handler(new Request('app://terminal/nope.js'))).status).toBe(404);
    expect((await handler(new Request('app://terminal/', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});

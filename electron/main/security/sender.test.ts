import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { APP_ORIGIN } from './origins';
import { validateSender } from './sender';

describe('validateSender', () => {
  const origins = [APP_ORIGIN];

  it('rejects a null frame (navigated or destroyed before the handler read it)', () => {
    expect(validateSender(null, origins)).toBe(false);
  });

  it.each(['app://terminal/', 'app://terminal/index.html?window=ladder'])('accepts our page %s', (url) => {
    expect(validateSender(url, origins)).toBe(true);
  });

  it.each([
    '',
    'about:blank',
    'https://evil.com@app',
    'app://terminal.evil/',
    'file:///index.html',
    'https://kite.zerodha.com/',
  ])('rejects %s', (url) => {
    expect(validateSender(url, origins)).toBe(false);
  });

  it('rejects every generated web URL when packaged', () => {
    fc.assert(
      fc.property(fc.webUrl(), (url) => {
        expect(validateSender(url, origins)).toBe(false);
      }),
    );
  });
});

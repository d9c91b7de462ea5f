import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from './origins';
import { permissionDecision } from './permissions';

const origins = [APP_ORIGIN];

describe('permissionDecision', () => {
  it.each([
    'notifications',
    'media',
    'geolocation',
    'clipboard-read',
    'display-capture',
    'openExternal',
    'hid',
    'serial',
    'usb',
    'midiSysex',
    'fullscreen',
    'pointerLock',
    'unknown',
    'made-up',
  ])('denies %s even to our own origin', (permission) => {
    expect(permissionDecision(permission, 'app://terminal/', origins)).toBe(false);
    expect(permissionDecision(permission, APP_ORIGIN, origins)).toBe(false);
  });

  it('grants sanitized clipboard writes to our origin, as a URL or as an origin string', () => {
    expect(permissionDecision('clipboard-sanitized-write', 'app://terminal/index.html', origins)).toBe(true);
    expect(permissionDecision('clipboard-sanitized-write', APP_ORIGIN, origins)).toBe(true);
  });

  it.each([undefined, '', 'https://evil.com', 'app://terminal.evil', 'https://evil.com@app', 'file:///'])(
    'denies sanitized clipboard writes to %s',
    (requester) => {
      expect(permissionDecision('clipboard-sanitized-write', requester, origins)).toBe(false);
    },
  );
});

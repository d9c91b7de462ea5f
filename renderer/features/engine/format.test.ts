import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EM_DASH,
  formatBytes,
  formatConnectionProblem,
  formatConnectionStatus,
  formatConnectionTooltip,
  formatInteger,
  formatLag,
  formatMode,
  formatTransport,
  formatUptime,
} from './format';

describe('formatBytes', () => {
  it('uses binary units with a fixed number of decimals per unit', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(12.34 * 1024)).toBe('12.3 KiB');
    expect(formatBytes(191_264_768)).toBe('182.4 MiB');
    expect(formatBytes(1024 ** 3)).toBe('1.00 GiB');
    expect(formatBytes(1.27 * 1024 ** 3)).toBe('1.27 GiB');
  });

  it('shows a dash for what it cannot show', () => {
    for (const bad of [undefined, Number.NaN, -1, Number.POSITIVE_INFINITY])
      expect(formatBytes(bad)).toBe(EM_DASH);
  });
});

describe('formatLag', () => {
  it('keeps one decimal below 100 ms, whole ms below a second, seconds above', () => {
    expect(formatLag(0)).toBe('0.0 ms');
    expect(formatLag(1.23)).toBe('1.2 ms');
    expect(formatLag(12.34)).toBe('12.3 ms');
    expect(formatLag(99.96)).toBe('100 ms');
    expect(formatLag(512.4)).toBe('512 ms');
    expect(formatLag(999.6)).toBe('1.00 s');
    expect(formatLag(1520)).toBe('1.52 s');
  });

  it('never prints more than seven characters (the status bar slot is fixed)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 9_999_000, noNaN: true }), (ms) => {
        expect(formatLag(ms).length).toBeLessThanOrEqual(7);
      }),
    );
  });

  it('shows a dash for what it cannot show', () => {
    for (const bad of [undefined, Number.NaN, -0.5]) expect(formatLag(bad)).toBe(EM_DASH);
  });
});

describe('formatUptime', () => {
  it('prints HH:MM:SS and whole days once past one', () => {
    expect(formatUptime(0)).toBe('00:00:00');
    expect(formatUptime(999)).toBe('00:00:00');
    expect(formatUptime(61_000)).toBe('00:01:01');
    expect(formatUptime(((23 * 60 + 59) * 60 + 59) * 1000)).toBe('23:59:59');
    expect(formatUptime(86_400_000)).toBe('1d 00:00:00');
    expect(formatUptime(((3 * 24 + 4) * 3600 + 5 * 60 + 6) * 1000)).toBe('3d 04:05:06');
  });

  it('round-trips to whole seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 86_400_000 }), (ms) => {
        const m = /^(?:(\d+)d )?(\d\d):(\d\d):(\d\d)$/.exec(formatUptime(ms));
        expect(m).not.toBeNull();
        const [, d = '0', h = '', mi = '', s = ''] = m!;
        expect(((Number(d) * 24 + Number(h)) * 60 + Number(mi)) * 60 + Number(s)).toBe(Math.floor(ms / 1000));
      }),
    );
  });

  it('shows a dash for what it cannot show', () => {
    expect(formatUptime(undefined)).toBe(EM_DASH);
    expect(formatUptime(-1)).toBe(EM_DASH);
  });
});

describe('formatInteger', () => {
  it('prints plain integers', () => {
    expect(formatInteger(12345)).toBe('12345');
    expect(formatInteger(undefined)).toBe(EM_DASH);
  });
});

describe('connection and mode labels', () => {
  it('names the link state exactly as the status bar shows it', () => {
    expect(formatConnectionStatus('connected')).toBe('Connected');
    expect(formatConnectionStatus('connecting')).toBe('Connecting…');
    expect(formatConnectionStatus('reconnecting')).toBe('Reconnecting…');
    expect(formatConnectionStatus('closed')).toBe('Disconnected');
  });

  it('says what went wrong only while not connected', () => {
    expect(formatConnectionProblem({ status: 'connected', attempt: 0, since: 0 })).toBe('');
    expect(formatConnectionProblem({ status: 'connecting', attempt: 0, since: 0 })).toBe('');
    expect(
      formatConnectionProblem({
        status: 'reconnecting',
        attempt: 3,
        lastError: 'socket closed (1006)',
        since: 0,
      }),
    ).toBe('attempt 3 · socket closed (1006)');
  });

  it('puts transport, IST time, attempts and the error in the tooltip', () => {
    const since = Date.parse('2026-11-24T03:45:07Z');
    expect(formatConnectionTooltip({ status: 'connected', attempt: 0, since }, 'webSocket')).toBe(
      'Engine link: WebSocket\nConnected since 09:15:07 IST',
    );
    expect(
      formatConnectionTooltip(
        { status: 'reconnecting', attempt: 2, lastError: 'boom', since },
        'messagePort',
      ),
    ).toBe(
      'Engine link: MessagePort\nReconnecting… since 09:15:07 IST\nFailed attempts: 2\nLast error: boom',
    );
    expect(formatTransport(undefined)).toBe(EM_DASH);
  });

  it('labels modes in capitals', () => {
    expect(formatMode('sim')).toBe('SIM');
    expect(formatMode('paper')).toBe('PAPER');
    expect(formatMode('live')).toBe('LIVE');
    expect(formatMode(undefined)).toBe(EM_DASH);
  });
});

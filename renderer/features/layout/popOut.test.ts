import { describe, expect, it } from 'vitest';
import { takeToken } from '../engine';
import { popOutOpenerFor, popOutUrl, readPopOut } from './popOut';

describe('pop-out addresses', () => {
  it('carry the panel, the instrument and the token; the new page takes the token off its address', () => {
    const url = popOutUrl(
      'http://127.0.0.1:5780/?x=1#h',
      { panel: 'ladder', instrumentToken: 408065 },
      'T0k-en_',
    );
    expect(url).toBe('http://127.0.0.1:5780/?panel=ladder&instrument=408065&token=T0k-en_');
    const kept = new Map<string, string>();
    const taken = takeToken(url, { getItem: (k) => kept.get(k) ?? null, setItem: (k, v) => kept.set(k, v) });
    expect(taken.token).toBe('T0k-en_');
    expect(taken.cleanUrl).toBe('/?panel=ladder&instrument=408065');
    expect(readPopOut(`http://127.0.0.1:5780${taken.cleanUrl ?? ''}`)).toEqual({
      panel: 'ladder',
      instrumentToken: 408065,
    });
  });

  it('work without an instrument or a token (the app, a cookie)', () => {
    expect(
      popOutUrl('app://terminal/index.html', { panel: 'orders', instrumentToken: undefined }, undefined),
    ).toBe('app://terminal/index.html?panel=orders');
  });

  it('are the terminal itself without ?panel=, and refuse odd values', () => {
    expect(readPopOut('http://h/')).toBeUndefined();
    expect(readPopOut('http://h/?panel=<script>')).toBeUndefined();
    expect(readPopOut('http://h/?panel=chart&instrument=-5')).toEqual({
      panel: 'chart',
      instrumentToken: undefined,
    });
    expect(readPopOut('http://h/?panel=chart&instrument=0')).toEqual({
      panel: 'chart',
      instrumentToken: undefined,
    });
  });
});

describe('popping a panel out', () => {
  it('asks main for a window in the app, with the panel and instrument only', async () => {
    const asked: unknown[] = [];
    const opened: string[] = [];
    const win = {
      location: { href: 'app://terminal/' },
      open: (url: string) => opened.push(url),
      shrivenq: {
        popOut: (r: unknown) => {
          asked.push(r);
          return Promise.resolve({ ok: false as const, reason: 'Not a panel id' });
        },
      },
    };
    const open = popOutOpenerFor(win, undefined);
    expect(await open({ panel: 'ladder', instrumentToken: 408065 })).toEqual({
      ok: false,
      reason: 'Not a panel id',
    });
    await open({ panel: 'chart', instrumentToken: undefined });
    expect(asked).toEqual([{ panel: 'ladder', instrumentToken: 408065 }, { panel: 'chart' }]);
    expect(opened).toEqual([]);
  });

  it('opens a tab of the same page with the token in web mode', async () => {
    const opened: [string, string, string][] = [];
    const win = {
      location: { href: 'http://127.0.0.1:5780/?x=1#h' },
      open: (url: string, target: string, features: string) => opened.push([url, target, features]),
    };
    expect(await popOutOpenerFor(win, 'tok')({ panel: 'depth', instrumentToken: 1 })).toEqual({ ok: true });
    expect(opened).toEqual([
      ['http://127.0.0.1:5780/?panel=depth&instrument=1&token=tok', '_blank', 'noopener'],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { takeToken } from '../engine';
import { popOutUrl, readPopOut } from './popOut';

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

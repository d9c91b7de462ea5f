import { describe, expect, it } from 'vitest';
import { createFrameCoalescer } from './frameCoalescer';
import { fakeFrames } from './fakeFrames';

describe('frame coalescer', () => {
  it('hands over the latest value per key once per frame, in first-arrival order', () => {
    const frames = fakeFrames();
    const flushed: [string, number][][] = [];
    const c = createFrameCoalescer<string, number>(frames, (batch) => flushed.push([...batch]));
    for (let i = 0; i < 1000; i++) {
      c.push('INFY', i);
      c.push('TCS', -i);
    }
    expect(frames.scheduled).toBe(1);
    expect(flushed).toEqual([]);
    frames.runFrame();
    expect(flushed).toEqual([
      [
        ['INFY', 999],
        ['TCS', -999],
      ],
    ]);
    // Nothing pending: no frame is asked for and no empty flush happens.
    expect(frames.scheduled).toBe(0);
    c.push('TCS', 5);
    frames.runFrame();
    expect(flushed[1]).toEqual([['TCS', 5]]);
  });

  it('keeps only the latest while no frame comes (a hidden window), and forgets removed keys', () => {
    const frames = fakeFrames();
    const flushed: number[] = [];
    const c = createFrameCoalescer<number, number>(frames, (batch) => flushed.push(batch.size));
    for (let token = 0; token < 50; token++) for (let i = 0; i < 40; i++) c.push(token, i);
    expect(c.pending).toBe(50);
    c.forget(7);
    expect(c.pending).toBe(49);
    frames.runFrame();
    expect(flushed).toEqual([49]);
  });

  it('stops when disposed: the pending frame is cancelled and pushes are ignored', () => {
    const frames = fakeFrames();
    let flushes = 0;
    const c = createFrameCoalescer<string, number>(frames, () => flushes++);
    c.push('A', 1);
    c.dispose();
    expect(frames.scheduled).toBe(0);
    c.push('A', 2);
    frames.runFrame();
    expect(flushes).toBe(0);
  });
});

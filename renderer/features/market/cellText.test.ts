import { describe, expect, it } from 'vitest';
import { setCellText } from './cellText';

/** The parts of an element and its text node that setCellText touches, counting node replacements. */
function cell(children: { nodeType: number; data?: string }[]) {
  let replaced = 0;
  const el = {
    get firstChild() {
      return children[0] ?? null;
    },
    get lastChild() {
      return children.at(-1) ?? null;
    },
    get textContent() {
      return children.map((c) => c.data ?? '').join('');
    },
    set textContent(text: string) {
      replaced++;
      children = text === '' ? [] : [{ nodeType: 3, data: text }];
    },
  };
  return { el: el as unknown as Element, replaced: () => replaced, children: () => children };
}

describe('setCellText', () => {
  it('changes the one text node in place, and nothing when the text is the same', () => {
    const c = cell([{ nodeType: 3, data: '1500.00' }]);
    const node = c.children()[0];
    expect(setCellText(c.el, '1500.05')).toBe(true);
    expect(c.children()[0]).toBe(node); // the same node, its data changed
    expect(node?.data).toBe('1500.05');
    expect(setCellText(c.el, '1500.05')).toBe(false);
    expect(c.replaced()).toBe(0);
  });

  it('replaces empty or marked-up content with one text node, which the next write reuses', () => {
    const empty = cell([]);
    expect(setCellText(empty.el, '42')).toBe(true);
    expect(empty.replaced()).toBe(1);
    expect(setCellText(empty.el, '43')).toBe(true);
    expect(empty.replaced()).toBe(1);
    expect(empty.el.textContent).toBe('43');

    const marked = cell([{ nodeType: 1 }, { nodeType: 3, data: 'x' }]);
    expect(setCellText(marked.el, 'y')).toBe(true);
    expect(marked.replaced()).toBe(1);
    expect(marked.children()).toEqual([{ nodeType: 3, data: 'y' }]);
  });
});

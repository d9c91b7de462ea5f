/**
 * Writes `text` into a live cell (a tick's price, size or volume) the cheapest way for the page to
 * redraw. A cell holding one text node has that node's `data` changed: no node is removed or
 * inserted, so the cell is laid out again but nothing is re-styled. Anything else (an empty cell, a
 * cell with markup) gets its content replaced by one text node, which later writes then reuse.
 * Returns whether the text changed.
 */
export function setCellText(el: Element, text: string): boolean {
  const first = el.firstChild;
  if (first?.nodeType === TEXT_NODE && first === el.lastChild) {
    const node = first as Text;
    if (node.data === text) return false;
    node.data = text;
    return true;
  }
  if (el.textContent === text) return false;
  el.textContent = text;
  return true;
}

/** Node.TEXT_NODE, spelt out so this also runs where there is no DOM (unit tests' fakes). */
const TEXT_NODE = 3;

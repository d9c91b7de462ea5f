import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { emptyText, GridPanel, type GridColumn } from './GridPanel';

const COLUMNS: readonly GridColumn[] = [
  { col: 'x-col-a', head: 'Symbol' },
  { col: 'x-col-b', head: 'Qty', num: true },
  { col: 'x-col-c', head: '', label: 'Exit' },
];

const EMPTY = { no: 'no service', waiting: 'waiting', none: 'nothing today' };

describe('the blotter panel', () => {
  it('gives each column its width class and each number column a right-aligned head', () => {
    const html = renderToStaticMarkup(
      <GridPanel name="things" title="Things" tableClass="x-table" columns={COLUMNS} head={<b>3</b>}>
        <tr>
          <td>INFY</td>
        </tr>
      </GridPanel>,
    );
    expect(html).toContain('data-testid="things"');
    expect(html).toContain('aria-labelledby="things-title"');
    expect(html).toContain('<h2 class="panel__title" id="things-title">Things</h2><b>3</b>');
    expect(html).toContain('<table class="grid-table x-table">');
    expect([...html.matchAll(/<col class="([\w-]+)"/g)].map((m) => m[1])).toEqual([
      'x-col-a',
      'x-col-b',
      'x-col-c',
    ]);
    expect(html).toContain('<th>Symbol</th><th class="num">Qty</th><th aria-label="Exit"></th>');
    expect(html).toContain('<tbody><tr><td>INFY</td></tr></tbody>');
    expect(html).not.toContain('tfoot');
    expect(html).not.toContain('grid-empty');
  });

  it('shows totals in a foot and the empty line when asked', () => {
    const html = renderToStaticMarkup(
      <GridPanel
        name="things"
        title="Things"
        tableClass="x-table"
        columns={COLUMNS}
        foot={
          <tr>
            <td>Total</td>
          </tr>
        }
        empty="nothing today"
      >
        {[]}
      </GridPanel>,
    );
    expect(html).toContain('<tfoot><tr><td>Total</td></tr></tfoot>');
    expect(html).toContain('<p class="grid-empty">nothing today</p>');
  });

  it('says why a grid is empty: no service, still waiting (or loading), or nothing yet', () => {
    expect(emptyText('no', EMPTY)).toBe('no service');
    expect(emptyText('no', EMPTY, true)).toBe('no service');
    expect(emptyText('unknown', EMPTY)).toBe('waiting');
    expect(emptyText('yes', EMPTY, true)).toBe('waiting');
    expect(emptyText('yes', EMPTY)).toBe('nothing today');
  });
});

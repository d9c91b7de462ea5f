import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MarketDataContext } from '../market';
import { fakeMarketData, instrument } from '../market/fakeMarket';
import { Ladder } from './Ladder';

// The ladder's first render (server markup: no effects, no market yet): what the header offers and
// the rows it lays out before any tick.

function render(node: React.ReactNode): string {
  return renderToStaticMarkup(<MarketDataContext value={fakeMarketData().data}>{node}</MarketDataContext>);
}

describe('the ladder panel', () => {
  it('sizes a future in lots, with NRML first and chosen', () => {
    const nifty = instrument(9_000_001, 'NIFTY26DECFUT', {
      instrumentType: 'FUT',
      lotSize: 75,
      exchange: 'NFO',
    });
    const html = render(<Ladder instrument={nifty} />);
    expect(html).toMatch(/data-testid="ladder-product-NRML"[^>]*>NRML/);
    expect(html).toMatch(/aria-checked="true"[^>]*data-testid="ladder-product-NRML"/);
    expect(html).toContain('data-testid="ladder-product-MIS"');
    expect(html).not.toContain('ladder-product-CNC');
    expect(html).toMatch(/data-quantity="75"/);
    expect(html).toContain('= 75 (lot 75)');
    expect(html).toContain('aria-label="Lots"');
    for (const n of [1, 5, 10, 25, 100]) expect(html).toContain(`data-testid="ladder-qty-${n}"`);
  });

  it('trades equities in shares with MIS first, CNC offered, and says when it asks before sending', () => {
    const html = render(<Ladder instrument={instrument(408065, 'INFY')} />);
    expect(html).toMatch(/aria-checked="true"[^>]*data-testid="ladder-product-MIS"/);
    expect(html).toContain('data-testid="ladder-product-CNC"');
    expect(html).toMatch(/data-quantity="1"/);
    expect(html).toContain('Confirm on'); // settings.confirmOrders is true until the settings load
    expect(render(<Ladder instrument={instrument(408065, 'INFY')} confirmOrders={false} />)).toContain(
      'Confirm off',
    );
    // Fixed rows with a bid and an ask side each, marked as the ladder's hotkey scope.
    expect(html.split('data-testid="ladder-row"').length - 1).toBe(31);
    expect(html).toContain('data-hotkey-scope="ladder"');
    expect(html).toContain('data-hotkey-instrument="408065"');
  });

  it('refuses to trade without an instrument or an index', () => {
    const none = render(<Ladder instrument={undefined} />);
    expect(none).toContain('Select an instrument');
    expect(none).toContain('data-blocked="true"');
    const index = render(
      <Ladder instrument={instrument(256265, 'NIFTY 50', { instrumentType: 'INDEX', lotSize: 0 })} />,
    );
    expect(index).toContain('data-blocked="true"');
    expect(index).toContain('An index cannot be traded.');
  });
});

import { describe, expect, it, vi } from 'vitest';
import { isSearchHotkey } from '../instrumentSearch/searchHotkeys';
import { WATCHLIST_COMMANDS } from '../watchlist/watchlistCommands';
import { TICKET_COMMANDS, ticketCommandForKey } from './ticketCommands';
import type { TicketState } from './ticketStore';

const key = (
  k: string,
  more: Partial<{ ctrlKey: boolean; shiftKey: boolean; altKey: boolean; metaKey: boolean }> = {},
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  target: null,
  ...more,
});

describe('the ticket’s hotkeys', () => {
  it('F1 opens the ticket to buy, F2 to sell', () => {
    const open = vi.fn();
    const ticket = { open } as unknown as TicketState;
    ticketCommandForKey(key('F1'))?.run(ticket);
    ticketCommandForKey(key('F2'))?.run(ticket);
    expect(open.mock.calls).toEqual([['BUY'], ['SELL']]);
  });

  it('ignores F1/F2 with a modifier, and other keys', () => {
    expect(ticketCommandForKey(key('F1', { shiftKey: true }))).toBeUndefined();
    expect(ticketCommandForKey(key('F2', { ctrlKey: true }))).toBeUndefined();
    expect(ticketCommandForKey(key('F3'))).toBeUndefined();
    expect(ticketCommandForKey(key('b'))).toBeUndefined();
  });

  it('takes no key that search or the watchlist already has', () => {
    const ours = TICKET_COMMANDS.flatMap((c) => c.keys);
    const watchlist = new Set(WATCHLIST_COMMANDS.flatMap((c) => c.keys));
    for (const k of ours) {
      expect(watchlist.has(k)).toBe(false);
      expect(isSearchHotkey(key(k))).toBe(false);
    }
    expect(new Set(TICKET_COMMANDS.map((c) => c.id)).size).toBe(TICKET_COMMANDS.length);
  });
});

import { POP_OUT_PANEL_ID } from '../../shared/electronBridge';
import type { PopOutRequest } from '../../shared/electronBridge';

// A panel popped out of the terminal into a BrowserWindow of its own: the same page with
// `?panel=<id>&instrument=<token>` (renderer/features/layout/popOut.ts reads it), on our origin,
// with its own engine port (the window asks for one like any other).

/** A pop-out window's size: a ladder or a chart beside the terminal. */
export const POP_OUT_SIZE = { width: 560, height: 780, minWidth: 320, minHeight: 240 } as const;

export type PopOutRead =
  { readonly ok: true; readonly request: PopOutRequest } | { readonly ok: false; readonly reason: string };

/** The page's request as main accepts it, copied field by field, or why it is refused. */
export function readPopOutRequest(input: unknown): PopOutRead {
  if (typeof input !== 'object' || input === null) return { ok: false, reason: 'No panel named' };
  const { panel, instrumentToken } = input as Record<string, unknown>;
  if (typeof panel !== 'string' || !POP_OUT_PANEL_ID.test(panel))
    return { ok: false, reason: 'Not a panel id' };
  if (instrumentToken === undefined) return { ok: true, request: { panel } };
  if (typeof instrumentToken !== 'number' || !Number.isSafeInteger(instrumentToken) || instrumentToken <= 0)
    return { ok: false, reason: 'Not an instrument token' };
  return { ok: true, request: { panel, instrumentToken } };
}

/** The address of a popped-out panel under `base` (our origin's root or the dev server's). */
export function popOutAddress(base: string, request: PopOutRequest): string {
  const url = new URL(base);
  url.search = '';
  url.hash = '';
  url.searchParams.set('panel', request.panel);
  if (request.instrumentToken !== undefined)
    url.searchParams.set('instrument', String(request.instrumentToken));
  return url.toString();
}

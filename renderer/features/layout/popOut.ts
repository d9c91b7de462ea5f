// A panel popped out into a tab (web mode) is the same page with `?panel=<id>&instrument=<token>`.
// A new tab does not share sessionStorage, where the page keeps its auth token once it has taken
// it off the address bar, so the token goes along in the URL the way web mode's ready URL carries
// it: the new page takes it (engine/token.ts), keeps it in its own sessionStorage and removes it
// from its address bar.

import { POP_OUT_PANEL_ID, PRELOAD_GLOBAL } from '../../../shared/electronBridge';
import type { BridgeResult, PopOutRequest } from '../../../shared/electronBridge';

export interface PopOut {
  readonly panel: string;
  /** The instrument the panel shows, when it shows one. */
  readonly instrumentToken: number | undefined;
}

/** The pop-out this page was opened as, or undefined for the terminal window itself. */
export function readPopOut(href: string): PopOut | undefined {
  const url = new URL(href);
  const panel = url.searchParams.get('panel');
  if (panel === null || !POP_OUT_PANEL_ID.test(panel)) return undefined;
  const raw = url.searchParams.get('instrument');
  const token = raw === null || !/^\d{1,10}$/.test(raw) ? undefined : Number(raw);
  return { panel, instrumentToken: token !== undefined && token > 0 ? token : undefined };
}

/** The address of `panel` popped out of the page at `href`, with the auth token when there is one. */
export function popOutUrl(href: string, popOut: PopOut, authToken: string | undefined): string {
  const url = new URL(href);
  url.search = '';
  url.hash = '';
  url.searchParams.set('panel', popOut.panel);
  if (popOut.instrumentToken !== undefined)
    url.searchParams.set('instrument', String(popOut.instrumentToken));
  if (authToken !== undefined && authToken !== '') url.searchParams.set('token', authToken);
  return url.toString();
}

/** Pops `popOut.panel` out; settles with main's answer (web mode's new tab always opens). */
export type PopOutOpener = (popOut: PopOut) => Promise<BridgeResult>;

/** The parts of `window` an opener uses. */
export interface PopOutWindowLike {
  readonly location: { readonly href: string };
  open(url: string, target: string, features: string): unknown;
}

function hasPopOut(x: unknown): x is { popOut(request: PopOutRequest): Promise<BridgeResult> } {
  return (
    typeof x === 'object' && x !== null && typeof (x as Record<string, unknown>)['popOut'] === 'function'
  );
}

/**
 * How this window pops a panel out: in the app, a BrowserWindow of main's with its own engine port
 * (the preload's `popOut`); in web mode, a new tab of the same page carrying the auth token.
 */
export function popOutOpenerFor(win: PopOutWindowLike, authToken: string | undefined): PopOutOpener {
  const preload = (win as unknown as Record<string, unknown>)[PRELOAD_GLOBAL];
  if (hasPopOut(preload))
    return (p) =>
      preload.popOut(
        p.instrumentToken === undefined
          ? { panel: p.panel }
          : { panel: p.panel, instrumentToken: p.instrumentToken },
      );
  return (p) => {
    win.open(popOutUrl(win.location.href, p, authToken), '_blank', 'noopener');
    return Promise.resolve({ ok: true });
  };
}

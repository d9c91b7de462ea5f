// A panel popped out into a tab (web mode) is the same page with `?panel=<id>&instrument=<token>`.
// A new tab does not share sessionStorage, where the page keeps its auth token once it has taken
// it off the address bar, so the token goes along in the URL the way web mode's ready URL carries
// it: the new page takes it (engine/token.ts), keeps it in its own sessionStorage and removes it
// from its address bar.

export interface PopOut {
  readonly panel: string;
  /** The instrument the panel shows, when it shows one. */
  readonly instrumentToken: number | undefined;
}

const PANEL_ID = /^[a-z][a-zA-Z0-9-]{0,63}$/;

/** The pop-out this page was opened as, or undefined for the terminal window itself. */
export function readPopOut(href: string): PopOut | undefined {
  const url = new URL(href);
  const panel = url.searchParams.get('panel');
  if (panel === null || !PANEL_ID.test(panel)) return undefined;
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

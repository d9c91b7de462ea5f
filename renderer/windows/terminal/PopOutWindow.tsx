import { useEffect, useMemo, useState } from 'react';
import type { InstrumentInfo } from '../../../shared/services/market';
import { dockPanelDomId, useTheme } from '../../features/layout';
import { useMarketData } from '../../features/market';
import { ToastStack, useToasts } from '../../features/toasts';
import { useWatchlistStore } from '../../features/watchlist';
import { panelDefinition } from './panels';
import type { PanelEnvironment } from './panels';
import { StatusBar } from './StatusBar';

export interface PopOutWindowProps {
  /** The panel this window shows (a registry id). */
  readonly panel: string;
  /** The instrument it shows, by token (`?instrument=`); the panel's own default when absent. */
  readonly instrumentToken: number | undefined;
  readonly confirm?: (question: string) => boolean;
}

const askConfirm = (question: string): boolean => window.confirm(question);

/**
 * The instrument with `token`: from the watchlist this browser keeps (no request), else asked of
 * the engine on every connection until it answers.
 */
function useInstrument(token: number | undefined): InstrumentInfo | undefined {
  const watchlist = useWatchlistStore();
  const { market, link } = useMarketData();
  const [found, setFound] = useState<InstrumentInfo | undefined>(() =>
    watchlist.getState().instruments.find((i) => i.instrumentToken === token),
  );
  useEffect(() => {
    if (token === undefined || found !== undefined) return;
    let open = true;
    const ask = () => {
      if (!link.isConnected()) return;
      market.instruments({ instrumentTokens: [token] }).then(
        ({ instruments }) => {
          const i = instruments.find((x) => x.instrumentToken === token);
          if (open && i !== undefined) setFound(i);
        },
        () => undefined, // The next connection asks again.
      );
    };
    const sub = link.onConnected(ask);
    ask();
    return () => {
      open = false;
      sub.dispose();
    };
  }, [token, found, market, link]);
  return found;
}

/** A window with one panel of the terminal (web mode's pop-out): the panel, toasts, the status bar. */
export function PopOutWindow({ panel, instrumentToken, confirm = askConfirm }: PopOutWindowProps) {
  const definition = panelDefinition(panel);
  const instrument = useInstrument(instrumentToken);
  const theme = useTheme();
  const toasts = useToasts();
  const title = definition?.title ?? panel;
  useEffect(() => {
    const symbol = instrument === undefined ? '' : ` · ${instrument.tradingsymbol}`;
    document.title = `${title}${symbol} · ShrivenQ`;
  }, [title, instrument]);
  const env: PanelEnvironment = useMemo(
    () => ({
      instrument,
      theme,
      confirm,
      onPick: () => undefined,
      onDismissSearch: () => undefined,
    }),
    [instrument, theme, confirm],
  );
  const element = useMemo(() => definition?.render(env), [definition, env]);
  return (
    <div className="popout" data-testid="popout" data-panel={panel}>
      <header className="popout__bar">
        <span className="brand__mark" aria-hidden="true" />
        <h1 className="popout__title">{title}</h1>
        <span className="popout__symbol" data-testid="popout-symbol">
          {instrument === undefined ? '' : `${instrument.exchange}:${instrument.tradingsymbol}`}
        </span>
      </header>
      <main
        className="popout__panel dock-panel"
        id={dockPanelDomId(panel)}
        data-dock-panel={panel}
        data-fill={definition?.fill ?? 'stretch'}
        aria-label={title}
      >
        {definition === undefined ? <p className="grid-empty">No panel called “{panel}”.</p> : element}
      </main>
      {toasts === null ? null : (
        <div className="dock popout__toasts" data-toast-corner="bottom-right">
          <ToastStack toasts={toasts} />
        </div>
      )}
      <StatusBar />
    </div>
  );
}

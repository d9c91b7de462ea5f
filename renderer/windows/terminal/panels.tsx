import type { ReactNode } from 'react';
import type { InstrumentInfo } from '../../../shared/services/market';
import { AlgosPanel } from '../../features/algos';
import { Chart } from '../../features/chart';
import { Depth } from '../../features/depth';
import { EnginePanel } from '../../features/engine';
import { HoldingsGrid } from '../../features/holdings';
import { InstrumentSearch } from '../../features/instrumentSearch';
import { Ladder } from '../../features/ladder';
import { PANEL_IDS } from '../../features/layout';
import type { DockPanel, PanelId, Theme } from '../../features/layout';
import { LogPanel } from '../../features/log';
import { OrdersGrid } from '../../features/orders';
import { PnlPanel } from '../../features/pnl';
import { PositionsGrid } from '../../features/positions';
import { RiskPanel } from '../../features/risk';
import { StrategiesPanel } from '../../features/strategies';
import { OrderTicket, TICKET_QUANTITY_ID } from '../../features/ticket';
import { TradesGrid } from '../../features/trades';
import { Watchlist, focusWatchlist } from '../../features/watchlist';

// The panel registry: every panel the terminal can show, by id. The layout names panels by these
// ids (settings keep them), so an id never changes; a title may.

/** What a panel may need from the window it is in. */
export interface PanelEnvironment {
  /** The instrument the window trades and charts (the watchlist's selection, or a pop-out's own). */
  readonly instrument: InstrumentInfo | undefined;
  readonly theme: Theme;
  /** Asks yes/no (window.confirm; injected in tests). */
  readonly confirm: (question: string) => boolean;
  /** Instrument search picked one (the terminal adds it to the watchlist). */
  readonly onPick: (instrument: InstrumentInfo) => void;
  readonly onDismissSearch: () => void;
  /** Shown under the watchlist: the Kite login, when the session needs it. */
  readonly watchlistFooter?: ReactNode;
}

export interface PanelDefinition {
  readonly id: PanelId;
  readonly title: string;
  readonly fill: DockPanel['fill'];
  /** Whether it makes sense in a window of its own (it shows one instrument, or the account). */
  readonly canPopOut: boolean;
  readonly focus?: (root: HTMLElement) => boolean;
  readonly render: (env: PanelEnvironment) => ReactNode;
}

/** Focuses the element with `id` inside `root`; false when it is not there. */
const focusById =
  (id: string) =>
  (root: HTMLElement): boolean => {
    const el = root.querySelector<HTMLElement>(`#${id}`);
    if (el === null) return false;
    el.focus();
    return true;
  };

export const PANELS: readonly PanelDefinition[] = [
  {
    id: 'watchlist',
    title: 'Watchlist',
    fill: 'stretch',
    canPopOut: false,
    focus: (root) => {
      if (root.querySelector('#watchlist-grid') === null) return false;
      focusWatchlist();
      return true;
    },
    render: (env) => (
      <div className="dock-column">
        <InstrumentSearch onPick={env.onPick} onDismiss={env.onDismissSearch} />
        <Watchlist />
        {env.watchlistFooter}
      </div>
    ),
  },
  {
    id: 'chart',
    title: 'Chart',
    fill: 'stretch',
    canPopOut: true,
    // Made again on a theme change: the chart takes its colours when it is created.
    render: (env) => <Chart key={env.theme} instrument={env.instrument} />,
  },
  {
    id: 'ladder',
    title: 'Ladder',
    fill: 'stretch',
    canPopOut: true,
    render: (env) => <Ladder instrument={env.instrument} />,
  },
  {
    id: 'depth',
    title: 'Depth',
    fill: 'content',
    canPopOut: true,
    render: (env) => <Depth instrument={env.instrument} />,
  },
  {
    id: 'ticket',
    title: 'Ticket',
    fill: 'content',
    canPopOut: false,
    focus: focusById(TICKET_QUANTITY_ID),
    render: (env) => <OrderTicket instrument={env.instrument} />,
  },
  { id: 'orders', title: 'Orders', fill: 'stretch', canPopOut: true, render: () => <OrdersGrid /> },
  { id: 'algos', title: 'Algos', fill: 'stretch', canPopOut: true, render: () => <AlgosPanel /> },
  { id: 'positions', title: 'Positions', fill: 'stretch', canPopOut: true, render: () => <PositionsGrid /> },
  { id: 'trades', title: 'Trades', fill: 'stretch', canPopOut: true, render: () => <TradesGrid /> },
  { id: 'holdings', title: 'Holdings', fill: 'stretch', canPopOut: true, render: () => <HoldingsGrid /> },
  { id: 'pnl', title: 'P&L', fill: 'stretch', canPopOut: true, render: () => <PnlPanel /> },
  {
    id: 'risk',
    title: 'Risk',
    fill: 'stretch',
    canPopOut: true,
    render: (env) => <RiskPanel confirm={env.confirm} />,
  },
  {
    id: 'strategies',
    title: 'Strategies',
    fill: 'stretch',
    canPopOut: false,
    render: () => <StrategiesPanel />,
  },
  { id: 'log', title: 'Log', fill: 'stretch', canPopOut: true, render: () => <LogPanel /> },
  { id: 'engine', title: 'Engine', fill: 'content', canPopOut: false, render: () => <EnginePanel /> },
];

const BY_ID: ReadonlyMap<string, PanelDefinition> = new Map(PANELS.map((p) => [p.id, p]));

/** The registry's entry for `id`. */
export function panelDefinition(id: string): PanelDefinition | undefined {
  return BY_ID.get(id);
}

/** Every panel id of the registry (what stored layouts are cleaned against). */
export const KNOWN_PANELS: ReadonlySet<string> = new Set<string>(PANEL_IDS);

/** The dock's panels for this window: each made once per change of `env`. */
export function dockPanelsFor(env: PanelEnvironment, popOut: boolean): ReadonlyMap<string, DockPanel> {
  const panels = new Map<string, DockPanel>();
  for (const p of PANELS) {
    panels.set(p.id, {
      id: p.id,
      title: p.title,
      element: p.render(env),
      fill: p.fill,
      canPopOut: popOut && p.canPopOut,
      focus: p.focus,
    });
  }
  return panels;
}

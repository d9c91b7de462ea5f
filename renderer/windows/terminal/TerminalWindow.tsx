import { useCallback, useEffect, useMemo, useState } from 'react';
import type { InstrumentInfo } from '../../../shared/services/market';
import {
  DockLayout,
  commandForBinding,
  createLayoutStore,
  layoutCommands,
  panelOfElement,
  useTheme,
} from '../../features/layout';
import type { LayoutStore, Theme } from '../../features/layout';
import { keyOf, useCommands, useHotkeyRegistry } from '../../features/hotkeys';
import type { Command } from '../../features/hotkeys';
import { KiteLoginPanel } from '../../features/login';
import type { KiteLoginBridge } from '../../features/login';
import { useSession } from '../../features/session';
import type { TradingMode } from '../../../shared/services/system';
import { ToastStack, useToasts } from '../../features/toasts';
import {
  focusWatchlist,
  selectSelectedInstrument,
  useWatchlist,
  useWatchlistStore,
} from '../../features/watchlist';
import { KNOWN_PANELS, PANELS, dockPanelsFor } from './panels';
import type { PanelEnvironment } from './panels';
import { StatusBar } from './StatusBar';
import { TopBar } from './TopBar';

/**
 * The main window of the terminal: the top bar, the docking layout of panels (the layout store's
 * tree: presets, or the user's own, kept in settings), toasts, and the status bar. The watchlist's
 * selection drives the chart, ladder, depth and ticket.
 */
export interface TerminalWindowProps {
  /** Applies a trading mode (settings.set); without it the top bar shows the mode only. */
  readonly onModeSwitch?: (mode: TradingMode) => void;
  /** The Kite login's bridge (the preload in the app, the browser in web mode). */
  readonly kiteBridge?: KiteLoginBridge;
  /** The window's layout; without it the Default preset, kept nowhere (tests, server rendering). */
  readonly layout?: LayoutStore;
  /** Opens a panel in a window of its own (web mode); without it panels stay in the window. */
  readonly onPopOut?: (panel: string) => void;
  /** Applies a theme (settings.set); without it the top bar has no theme switch. */
  readonly onThemeChange?: (theme: Theme) => void;
  /** Asks yes/no (window.confirm by default). */
  readonly confirm?: (question: string) => boolean;
}

const askConfirm = (question: string): boolean => window.confirm(question);
const askName = (question: string, suggestion: string): string | null => window.prompt(question, suggestion);

/** Panels the toasts must never cover. */
const KEEP_CLEAR = ['ladder'];

export function TerminalWindow(props: TerminalWindowProps = {}) {
  const session = useSession((s) => s.session);
  // Without a logged-in session and an open feed, every number on screen is old: say so, dim them.
  const live = session === undefined || (session.state === 'logged-in' && session.feed.state === 'open');
  const noFeedReason =
    session === undefined ? '' : session.message !== '' ? session.message : `feed ${session.feed.state}`;
  const watchlist = useWatchlistStore();
  const selected = useWatchlist(selectSelectedInstrument);
  const theme = useTheme();
  const toasts = useToasts();
  const [ownLayout] = useState(() => props.layout ?? createLayoutStore(KNOWN_PANELS));
  const layout = props.layout ?? ownLayout;
  const confirm = props.confirm ?? askConfirm;

  const onPick = useCallback(
    (instrument: InstrumentInfo) => {
      watchlist.getState().add(instrument);
      focusWatchlist();
    },
    [watchlist],
  );
  const onDismissSearch = useCallback(() => {
    focusWatchlist();
  }, []);

  const kiteBridge = props.kiteBridge;
  const showKite = kiteBridge !== undefined && session?.venue === 'kite';
  const env: PanelEnvironment = useMemo(
    () => ({
      instrument: selected,
      theme,
      confirm,
      onPick,
      onDismissSearch,
      watchlistFooter: showKite ? <KiteLoginPanel session={session} bridge={kiteBridge} /> : null,
    }),
    // The Kite panel needs the session only while it shows.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [selected, theme, confirm, onPick, onDismissSearch, showKite, showKite ? session : undefined, kiteBridge],
  );
  const popOut = props.onPopOut;
  const panels = useMemo(() => dockPanelsFor(env, popOut !== undefined), [env, popOut]);

  // The layout's window commands, in the hotkey registry (listed in its help, rebindable there);
  // outside a HotkeyHost (tests) the window dispatches them itself.
  const commands = useMemo(
    () =>
      layoutCommands({
        store: layout,
        focusedPanel: () => panelOfElement(document.activeElement),
        popOut,
      }),
    [layout, popOut],
  );
  const registry = useHotkeyRegistry();
  const registered = useMemo<readonly Command[]>(
    () =>
      commands.map((c) => ({
        id: c.id,
        label: c.label,
        category: 'Window',
        keys: c.keys,
        // None of them types a character, so they work from inside a field too.
        when: { inTextField: true },
        run: () => {
          c.run();
        },
      })),
    [commands],
  );
  useCommands(registered);
  useEffect(() => {
    if (registry !== null) return undefined;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.repeat) return;
      const binding = keyOf(e);
      const command = binding === '' ? undefined : commandForBinding(commands, binding);
      if (command === undefined) return;
      e.preventDefault();
      command.run();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [commands, registry]);

  return (
    <div className="terminal">
      <TopBar
        onModeSwitch={props.onModeSwitch}
        layout={layout}
        panels={PANELS}
        onThemeChange={props.onThemeChange}
        askName={askName}
      />
      {live ? null : (
        <div className="no-feed" role="status" data-testid="no-feed">
          No live market data — {noFeedReason}. Prices shown are the last received and may be stale.
        </div>
      )}
      <main className="workspace" aria-label="Workspace" data-live={live}>
        <DockLayout store={layout} panels={panels} onPopOut={popOut} keepClear={KEEP_CLEAR}>
          {toasts === null ? null : <ToastStack toasts={toasts} />}
        </DockLayout>
      </main>
      <StatusBar />
    </div>
  );
}

import { ModeBadge, useEngine } from '../../features/engine';
import type { EngineState } from '../../features/engine';
import { LayoutMenu, useTheme } from '../../features/layout';
import type { LayoutStore, Theme } from '../../features/layout';
import { RiskStatusItem } from '../../features/risk';
import { ModeSwitch, useSession } from '../../features/session';
import type { TradingMode } from '../../../shared/services/system';

const selectMode = (s: EngineState) => s.info?.mode;

export interface TopBarProps {
  readonly onModeSwitch?: ((mode: TradingMode) => void) | undefined;
  /** The window's layout: its picker shows when given. */
  readonly layout?: LayoutStore | undefined;
  readonly panels?: readonly { readonly id: string; readonly title: string }[];
  /** Applies a theme; without it there is no theme switch. */
  readonly onThemeChange?: ((theme: Theme) => void) | undefined;
  /** Asks for a layout's name (Save as). */
  readonly askName?: ((question: string, suggestion: string) => string | null) | undefined;
}

/**
 * The slim bar at the top: the app's name and, always in view, the trading mode and its switch;
 * the layout picker and the theme switch; at the right the trading state with the kill switch.
 */
export function TopBar(props: TopBarProps) {
  const started = useEngine(selectMode);
  const sessionMode = useSession((s) => s.session?.mode);
  const mode = sessionMode ?? started ?? 'unknown';
  const onModeSwitch = props.onModeSwitch;
  const theme = useTheme();
  const onThemeChange = props.onThemeChange;
  return (
    <header className="topbar" data-mode={mode}>
      <h1 className="brand">
        <span className="brand__mark" aria-hidden="true" />
        <span>
          Shriven<span className="brand__q">Q</span>
        </span>
      </h1>
      <ModeBadge mode={sessionMode} />
      {onModeSwitch === undefined ? null : (
        <ModeSwitch
          mode={sessionMode}
          onSwitch={onModeSwitch}
          confirm={(question) => window.confirm(question)}
        />
      )}
      <span className="topbar__sep" aria-hidden="true" />
      <span className="topbar__window">Terminal</span>
      {props.layout === undefined ? null : (
        <>
          <span className="topbar__sep" aria-hidden="true" />
          <LayoutMenu
            store={props.layout}
            panels={props.panels ?? []}
            {...(props.askName === undefined ? {} : { ask: props.askName })}
          />
        </>
      )}
      <span className="topbar__spacer" />
      {onThemeChange === undefined ? null : (
        <button
          type="button"
          className="btn topbar__theme"
          data-testid="theme-toggle"
          aria-pressed={theme === 'light'}
          title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
          onClick={() => {
            onThemeChange(theme === 'dark' ? 'light' : 'dark');
          }}
        >
          {theme === 'dark' ? 'Light' : 'Dark'}
        </button>
      )}
      <RiskStatusItem confirm={(question) => window.confirm(question)} />
    </header>
  );
}

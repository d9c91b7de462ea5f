import './hotkeys.css';
import { useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Command } from './command';
import { HelpOverlay } from './HelpOverlay';
import { startHotkeys } from './hotkeysBridge';
import type { HotkeysHandle } from './hotkeysBridge';
import { HotkeysContext, useCommands, useHotkeyRegistryState, useHotkeysState } from './hotkeysContext';
import type { HotkeyRegistryState } from './registry';

/** The help overlay's own command (registered by the host). */
export const HELP_COMMAND_ID = 'window.help';

/** How long a hotkey message stays up. */
const NOTICE_MS = 6000;

export interface HotkeyHostProps {
  /**
   * The window's hotkeys from `startHotkeys({ settings, link })` (made outside React, like the other
   * bridges, and disposed on pagehide). Without it the host makes its own, whose bindings last for
   * this page only.
   */
  readonly hotkeys?: HotkeysHandle;
  /** The window's panels: they register their commands with `useCommands` under this host. */
  readonly children?: ReactNode;
}

const selectNotice = (s: HotkeyRegistryState) => s.notice;

/** The last hotkey message (why a hotkey did nothing, or what it did), cleared after a few seconds. */
function HotkeyNotice({ hotkeys }: { readonly hotkeys: HotkeysHandle }) {
  const notice = useHotkeyRegistryState(selectNotice);
  useEffect(() => {
    if (notice === undefined) return undefined;
    const timer = setTimeout(() => {
      hotkeys.registry.dismissNotice();
    }, NOTICE_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [hotkeys, notice]);
  if (notice === undefined) return null;
  return (
    <div
      className="hk-notice"
      data-testid="hotkey-notice"
      data-kind={notice.kind}
      data-command-id={notice.commandId}
      role={notice.kind === 'refused' ? 'alert' : 'status'}
    >
      <span className="hk-notice__text">{notice.text}</span>
      <button
        type="button"
        className="hk-notice__close"
        aria-label="Dismiss"
        onClick={() => {
          hotkeys.registry.dismissNotice();
        }}
      >
        ×
      </button>
    </div>
  );
}

const selectConfirmation = (s: HotkeyRegistryState) => s.confirmation;

/** A command's question (cancel all, flatten all, kill switch): Enter confirms, Escape cancels. */
function ConfirmDialog({ hotkeys }: { readonly hotkeys: HotkeysHandle }) {
  const question = useHotkeyRegistryState(selectConfirmation);
  if (question === undefined) return null;
  const { registry } = hotkeys;
  return (
    <div className="hk-backdrop" data-testid="hotkey-confirm-backdrop">
      <div
        className="hk-confirm"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="hk-confirm-title"
        data-testid="hotkey-confirm"
        data-command-id={question.commandId}
        data-danger={question.danger === true}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            registry.answer(false);
          } else if (e.key === 'Enter') {
            e.preventDefault();
            registry.answer(true);
          }
        }}
      >
        <h2 id="hk-confirm-title" className="hk-confirm__title">
          {question.title}
        </h2>
        {question.detail === undefined ? null : <p className="hk-confirm__detail">{question.detail}</p>}
        <div className="hk-confirm__buttons">
          <button
            type="button"
            className="hk-confirm__no"
            data-testid="hotkey-confirm-no"
            onClick={() => {
              registry.answer(false);
            }}
          >
            Keep <kbd>Esc</kbd>
          </button>
          <button
            type="button"
            className="hk-confirm__yes"
            data-testid="hotkey-confirm-yes"
            // The question takes focus so Enter answers it and nothing behind it.
            autoFocus
            onClick={() => {
              registry.answer(true);
            }}
          >
            {question.confirmLabel} <kbd>Enter</kbd>
          </button>
        </div>
      </div>
    </div>
  );
}

const selectHelpOpen = (s: { readonly helpOpen: boolean }) => s.helpOpen;

/** The host's own commands: the help overlay. */
function HostCommands({ hotkeys }: { readonly hotkeys: HotkeysHandle }) {
  const commands = useMemo<readonly Command[]>(
    () => [
      {
        id: HELP_COMMAND_ID,
        label: 'Show keyboard shortcuts (and rebind them)',
        category: 'Window',
        // `?` as in Gmail, GitHub and most web apps; F1 is Kite's buy key, so help is Shift+F1.
        keys: ['?', 'Shift+F1'],
        run: () => {
          hotkeys.setHelpOpen(!hotkeys.store.getState().helpOpen);
        },
      },
    ],
    [hotkeys],
  );
  useCommands(commands);
  return null;
}

function HostLayer({ hotkeys }: { readonly hotkeys: HotkeysHandle }) {
  const helpOpen = useHotkeysState(selectHelpOpen);
  return (
    <>
      <HostCommands hotkeys={hotkeys} />
      <HotkeyNotice hotkeys={hotkeys} />
      <ConfirmDialog hotkeys={hotkeys} />
      {helpOpen ? (
        <HelpOverlay
          hotkeys={hotkeys}
          onClose={() => {
            hotkeys.setHelpOpen(false);
          }}
        />
      ) : null}
    </>
  );
}

/**
 * The window's one keydown dispatcher, the help overlay and the hotkey message line. Mount it once
 * per window around the panels:
 *
 * ```tsx
 * const hotkeys = startHotkeys({ settings: client.service(settingsService), link });
 * <HotkeyHost hotkeys={hotkeys}><TerminalWindow /></HotkeyHost>
 * ```
 *
 * A key press goes to the focused element first (a field's own Enter, Escape and arrows); if that
 * did not handle it (`preventDefault`), the host resolves it by where focus is and runs the command.
 * While the overlay is open only the overlay's keys work.
 */
export function HotkeyHost({ hotkeys: given, children }: HotkeyHostProps) {
  const [own] = useState(() => (given === undefined ? startHotkeys() : undefined));
  const hotkeys = given ?? own;
  if (hotkeys === undefined) throw new Error('unreachable: a HotkeyHost without hotkeys');

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // The overlay and a pending question take every key while they are up.
      if (hotkeys.store.getState().helpOpen) return;
      if (hotkeys.registry.store.getState().confirmation !== undefined) return;
      hotkeys.registry.dispatch(e);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [hotkeys]);
  useEffect(
    () => () => {
      own?.dispose();
    },
    [own],
  );

  return (
    <HotkeysContext value={hotkeys}>
      {children}
      <HostLayer hotkeys={hotkeys} />
    </HotkeysContext>
  );
}

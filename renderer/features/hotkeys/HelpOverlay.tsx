import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import { COMMAND_CATEGORIES } from './command';
import type { Command, CommandCategory } from './command';
import type { HotkeysHandle, HotkeysState } from './hotkeysBridge';
import { bindingText, keyOf } from './keys';
import { effectiveBindings, findConflicts } from './registry';
import type { Conflict, HotkeyRegistryState } from './registry';

/** Which binding is waiting for its new key: slot `index` of `id` (index = length: a new one). */
interface Recording {
  readonly id: string;
  readonly index: number;
}

const selectCommands = (s: HotkeyRegistryState) => s.commands;
const selectOverrides = (s: HotkeyRegistryState) => s.overrides;
const selectConfirm = (s: HotkeysState) => s.confirmOrders;

/** The commands grouped by category in the overlay's order, each group sorted by label. */
export function commandsByCategory(
  commands: readonly Command[],
): readonly { readonly category: CommandCategory; readonly commands: readonly Command[] }[] {
  return COMMAND_CATEGORIES.map((category) => ({
    category,
    commands: commands.filter((c) => c.category === category).sort((a, b) => a.label.localeCompare(b.label)),
  })).filter((g) => g.commands.length > 0);
}

function conflictText(c: Conflict, labelOf: (id: string) => string): string {
  const where = c.scope === undefined ? 'everywhere' : `in the ${c.scope}`;
  return `${bindingText(c.binding)} ${where}: ${c.commandIds.map(labelOf).join(' · ')}`;
}

/**
 * The help overlay: every registered command by category with its bindings. Click (or Enter on) a
 * binding and press the new key to rebind it (Escape cancels), + adds one, × removes one, Reset goes
 * back to the defaults. Clashes (two commands on one key in one scope) are listed at the top and
 * marked on their rows. It also holds the confirm-orders switch.
 */
export function HelpOverlay({
  hotkeys,
  onClose,
}: {
  readonly hotkeys: HotkeysHandle;
  readonly onClose: () => void;
}) {
  const { registry } = hotkeys;
  const commands = useStore(registry.store, selectCommands);
  const overrides = useStore(registry.store, selectOverrides);
  const confirmOrders = useStore(hotkeys.store, selectConfirm);
  const [recording, setRecording] = useState<Recording | undefined>(undefined);
  const [filter, setFilter] = useState('');
  const dialogRef = useRef<HTMLDivElement>(null);

  // Focus moves into the overlay, and back to where it was when the overlay closes.
  useEffect(() => {
    const before = document.activeElement;
    dialogRef.current?.focus();
    return () => {
      if (before instanceof HTMLElement) before.focus();
    };
  }, []);

  // A button that disappears (Reset, ×) drops focus to the page: Escape still closes, and focus
  // comes back into the overlay.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const dialog = dialogRef.current;
      if (dialog === null || (e.target instanceof Node && dialog.contains(e.target))) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
      } else {
        dialog.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [onClose]);

  const conflicts = findConflicts(commands, overrides);
  const clashing = new Set(conflicts.flatMap((c) => c.commandIds));
  const labelOf = (id: string) => commands.find((c) => c.id === id)?.label ?? id;
  const wanted = filter.trim().toLowerCase();
  const shown =
    wanted === ''
      ? commands
      : commands.filter(
          (c) =>
            c.label.toLowerCase().includes(wanted) ||
            c.id.toLowerCase().includes(wanted) ||
            effectiveBindings(c, overrides).some((b) => b.toLowerCase().includes(wanted)),
        );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (recording !== undefined) {
      e.preventDefault();
      e.stopPropagation();
      if (e.key === 'Escape') {
        setRecording(undefined);
        return;
      }
      const binding = keyOf(e);
      if (binding === '') return; // a modifier alone: wait for the key
      const now = [...registry.bindingsOf(recording.id)];
      if (recording.index < now.length) now[recording.index] = binding;
      else now.push(binding);
      registry.rebind(recording.id, now);
      setRecording(undefined);
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
    } else if (e.key === '?' && !(e.target instanceof HTMLInputElement && e.target.type === 'search')) {
      e.preventDefault();
      onClose();
    }
  };

  return (
    <div className="hk-backdrop" data-testid="hotkey-help-backdrop">
      <div
        ref={dialogRef}
        className="hk-help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="hk-help-title"
        data-testid="hotkey-help"
        data-count={commands.length}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <header className="hk-help__head">
          <h2 id="hk-help-title" className="hk-help__title">
            Keyboard shortcuts
          </h2>
          <input
            type="search"
            className="hk-help__filter"
            placeholder="Filter"
            aria-label="Filter commands"
            data-testid="hotkey-filter"
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value);
            }}
          />
          <label className="hk-help__confirm" title="settings.confirmOrders: applies to every window">
            <input
              type="checkbox"
              data-testid="confirm-orders"
              checked={confirmOrders}
              onChange={(e) => {
                hotkeys.setConfirmOrders(e.target.checked);
              }}
            />
            Confirm each order sent by a hotkey
          </label>
          <button type="button" className="hk-help__close" data-testid="hotkey-help-close" onClick={onClose}>
            Close <kbd>Esc</kbd>
          </button>
        </header>
        {recording === undefined ? null : (
          <p className="hk-help__recording" role="status" data-testid="hotkey-recording">
            Press the new key for “{labelOf(recording.id)}” · Esc cancels
          </p>
        )}
        {conflicts.length === 0 ? null : (
          <section className="hk-conflicts" data-testid="hotkey-conflicts" aria-label="Conflicts">
            <h3 className="hk-conflicts__title">
              Conflicts: these keys run nothing until one command is rebound
            </h3>
            <ul>
              {conflicts.map((c) => (
                <li key={`${c.scope ?? ''} ${c.binding}`} data-binding={c.binding}>
                  {conflictText(c, labelOf)}
                </li>
              ))}
            </ul>
          </section>
        )}
        <div className="hk-help__body">
          {commandsByCategory(shown).map((group) => (
            <section key={group.category} className="hk-group" data-category={group.category}>
              <h3 className="hk-group__title">{group.category}</h3>
              <table className="hk-table">
                <tbody>
                  {group.commands.map((c) => {
                    const bindings = effectiveBindings(c, overrides);
                    const overridden = overrides[c.id] !== undefined;
                    return (
                      <tr
                        key={c.id}
                        className="hk-row"
                        data-testid="hotkey-row"
                        data-command-id={c.id}
                        data-conflict={clashing.has(c.id)}
                        data-overridden={overridden}
                      >
                        <td className="hk-row__label">
                          {c.label}
                          {c.when?.scope === undefined ? null : (
                            <span className="hk-row__scope"> · in the {c.when.scope}</span>
                          )}
                        </td>
                        <td className="hk-row__keys">
                          {bindings.map((b, i) => {
                            const active = recording?.id === c.id && recording.index === i;
                            return (
                              <span key={b} className="hk-chip" data-active={active}>
                                <button
                                  type="button"
                                  className="hk-chip__key"
                                  data-testid="hotkey-binding"
                                  data-binding={b}
                                  aria-label={`${c.label}: ${b}. Press Enter, then the new key`}
                                  onClick={() => {
                                    setRecording({ id: c.id, index: i });
                                  }}
                                >
                                  {active ? '…' : <kbd>{bindingText(b)}</kbd>}
                                </button>
                                <button
                                  type="button"
                                  className="hk-chip__remove"
                                  aria-label={`Remove ${b} from ${c.label}`}
                                  onClick={() => {
                                    registry.rebind(
                                      c.id,
                                      bindings.filter((x) => x !== b),
                                    );
                                  }}
                                >
                                  ×
                                </button>
                              </span>
                            );
                          })}
                          {bindings.length < 4 ? (
                            <button
                              type="button"
                              className="hk-add"
                              data-testid="hotkey-add"
                              aria-label={`Add a key for ${c.label}`}
                              onClick={() => {
                                setRecording({ id: c.id, index: bindings.length });
                              }}
                            >
                              {recording?.id === c.id && recording.index === bindings.length ? '…' : '+'}
                            </button>
                          ) : null}
                        </td>
                        <td className="hk-row__reset">
                          {overridden ? (
                            <button
                              type="button"
                              className="hk-reset"
                              data-testid="hotkey-reset"
                              title={`Default: ${c.keys.join(', ') || 'none'}`}
                              onClick={() => {
                                registry.reset(c.id);
                              }}
                            >
                              Reset
                            </button>
                          ) : null}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}

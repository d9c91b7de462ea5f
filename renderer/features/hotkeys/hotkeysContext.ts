import { createContext, useContext, useEffect } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { Command } from './command';
import type { HotkeysHandle, HotkeysState } from './hotkeysBridge';
import type { HotkeyRegistry, HotkeyRegistryState } from './registry';
import { SCOPE_ATTRIBUTE, SCOPE_INSTRUMENT_ATTRIBUTE } from './registry';

/** The window's hotkeys, provided by `HotkeyHost` around the window's panels. */
export const HotkeysContext = createContext<HotkeysHandle | null>(null);

/** The window's hotkeys, or null outside a `HotkeyHost` (a panel rendered alone, in a test). */
export function useHotkeys(): HotkeysHandle | null {
  return useContext(HotkeysContext);
}

/** The window's registry, or null outside a `HotkeyHost`. */
export function useHotkeyRegistry(): HotkeyRegistry | null {
  return useContext(HotkeysContext)?.registry ?? null;
}

/**
 * Registers `commands` while the calling component is mounted (and again when the list changes).
 * Pass a stable list: a module constant, or a `useMemo` whose `run`s read live state through a
 * store or ref, so re-renders do not re-register. Outside a `HotkeyHost` it does nothing.
 */
export function useCommands(commands: readonly Command[]): void {
  const registry = useHotkeyRegistry();
  useEffect(() => {
    if (registry === null) return undefined;
    const registration = registry.register(commands);
    return () => {
      registration.dispose();
    };
  }, [registry, commands]);
}

const EMPTY_REGISTRY = createStore<HotkeyRegistryState>()(() => ({
  commands: [],
  overrides: {},
  notice: undefined,
  confirmation: undefined,
}));
const NO_HOTKEYS = createStore<HotkeysState>()(() => ({
  confirmOrders: true,
  loaded: false,
  helpOpen: false,
}));

/** Reads the registry's state (pass an atomic selector); an empty registry outside a host. */
export function useHotkeyRegistryState<T>(selector: (state: HotkeyRegistryState) => T): T {
  return useStore(useHotkeyRegistry()?.store ?? EMPTY_REGISTRY, selector);
}

/** Reads the hotkeys' state (confirmOrders, help open); the defaults outside a host. */
export function useHotkeysState<T>(selector: (state: HotkeysState) => T): T {
  return useStore(useHotkeys()?.store ?? NO_HOTKEYS, selector);
}

const selectOverrides = (s: HotkeyRegistryState) => s.overrides;
const selectCommands = (s: HotkeyRegistryState) => s.commands;

/**
 * The bindings in force for a command (to show on a button: `<kbd>F1</kbd>`), following rebinds;
 * `fallback` outside a host or before the command is registered.
 */
export function useBindings(id: string, fallback: readonly string[] = []): readonly string[] {
  const overrides = useHotkeyRegistryState(selectOverrides);
  const commands = useHotkeyRegistryState(selectCommands);
  const own = overrides[id];
  if (own !== undefined) return own;
  return commands.find((c) => c.id === id)?.keys ?? fallback;
}

/** The attributes that make an element a hotkey scope (spread them on a panel's root). */
export interface HotkeyScopeProps {
  readonly [SCOPE_ATTRIBUTE]: string;
  readonly [SCOPE_INSTRUMENT_ATTRIBUTE]?: string;
}

/**
 * Marks a panel's root as hotkey scope `scope`: commands with `when: { scope }` apply while focus is
 * inside it. A panel that shows one instrument of its own (a ladder, a chart) passes its token, so
 * order hotkeys can tell when it differs from the ticket's:
 * `<section {...hotkeyScope('ladder', instrument?.instrumentToken)} tabIndex={0}>`.
 */
export function hotkeyScope(scope: string, instrumentToken?: number): HotkeyScopeProps {
  return instrumentToken === undefined
    ? { [SCOPE_ATTRIBUTE]: scope }
    : { [SCOPE_ATTRIBUTE]: scope, [SCOPE_INSTRUMENT_ATTRIBUTE]: String(instrumentToken) };
}

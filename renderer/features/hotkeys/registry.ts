import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { toDisposable } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import type { HotkeyBindings } from '../../../shared/services/workspace';
import type { Command, CommandInvocation, ConfirmationRequest } from './command';
import { isTextField, keyOf, normaliseBinding, typesNothing } from './keys';
import type { ElementLike, KeyLike } from './keys';

/** Where focus is when a key is pressed: what `when` clauses are matched against. */
export interface FocusContext {
  /** The scopes focus is in, innermost first. */
  readonly scopes: readonly string[];
  /** The instrument token the innermost scope with one declares. */
  readonly scopeInstrument: number | undefined;
  readonly inTextField: boolean;
}

/** No focus anywhere in particular: window-wide commands only. */
export const NO_FOCUS: FocusContext = { scopes: [], scopeInstrument: undefined, inTextField: false };

/** What a key press comes to. */
export type Resolution =
  | { readonly kind: 'none' }
  | { readonly kind: 'command'; readonly command: Command }
  /** Two or more commands on this key in the same scope: none runs (the overlay shows the clash). */
  | { readonly kind: 'conflict'; readonly commands: readonly Command[] };

/** Two or more commands bound to one key in one scope (`scope` undefined: window-wide). */
export interface Conflict {
  readonly binding: string;
  readonly scope: string | undefined;
  readonly commandIds: readonly string[];
}

/** The last hotkey message: why a command did nothing, or what it did. */
export interface HotkeyNotice {
  readonly kind: 'refused' | 'info';
  readonly text: string;
  /** The command it is about, when there is one. */
  readonly commandId: string | undefined;
  /** Counts up with each notice, so the same text twice still shows as new. */
  readonly serial: number;
}

/** A command's question waiting for the trader's answer. */
export interface PendingConfirmation extends ConfirmationRequest {
  readonly commandId: string;
  readonly serial: number;
}

export interface HotkeyRegistryState {
  /** Every registered command, in registration order (an id registered twice: the newest). */
  readonly commands: readonly Command[];
  /** The user's bindings over the defaults (settings.hotkeys). */
  readonly overrides: HotkeyBindings;
  readonly notice: HotkeyNotice | undefined;
  /** The question a command is waiting on (the host shows it), if any. */
  readonly confirmation: PendingConfirmation | undefined;
}

/** The data of a keydown event the dispatcher reads. */
export interface KeyPress extends KeyLike {
  readonly repeat?: boolean;
  readonly isComposing?: boolean;
  readonly defaultPrevented?: boolean;
  readonly target?: unknown;
  readonly preventDefault?: () => void;
}

/** The one command registry of a window. */
export interface HotkeyRegistry {
  /** The state for React (`useStore(registry.store, selector)`) and for tests. */
  readonly store: StoreApi<HotkeyRegistryState>;
  /**
   * Adds commands; disposing the result removes exactly these (a panel that unmounts takes its
   * commands with it). Registering an id that is already there shadows it until disposed.
   */
  register(commands: readonly Command[]): Disposable;
  /** The command with this id, if registered. */
  command(id: string): Command | undefined;
  /** The bindings in force for a command: the user's override if any, else its defaults. */
  bindingsOf(id: string): readonly string[];
  /** True when the user has rebound this command. */
  isOverridden(id: string): boolean;
  /** What `binding` pressed with focus at `focus` comes to. */
  resolve(binding: string, focus?: FocusContext): Resolution;
  /** Every clash among the registered commands' bindings. */
  conflicts(): readonly Conflict[];
  /**
   * Handles a keydown: resolves it by the focus at its target, runs the command (or says why not)
   * and prevents the browser's default. Returns true when the press was a hotkey.
   */
  dispatch(event: KeyPress): boolean;
  /** Runs a command as if from a menu (the overlay's Run button), focus as given. */
  execute(id: string, focus?: FocusContext): Promise<void>;
  /**
   * Binds a command to `bindings` (normalised; empty unbinds). Returns the new overrides, which the
   * caller persists as `settings.set({ hotkeys })`. Bindings equal to the defaults drop the override.
   */
  rebind(id: string, bindings: readonly string[]): HotkeyBindings;
  /** Back to the default bindings; returns the new overrides. */
  reset(id: string): HotkeyBindings;
  /** Replaces the overrides (settings loaded, or changed in another window). */
  setOverrides(overrides: HotkeyBindings): void;
  /** Shows a hotkey message. */
  notify(kind: HotkeyNotice['kind'], text: string, commandId?: string): void;
  /** Clears the message. */
  dismissNotice(): void;
  /** Answers the pending question (the host's buttons, Enter and Escape). */
  answer(confirmed: boolean): void;
}

export interface HotkeyRegistryOptions {
  /** Called with the new overrides after every rebind and reset (persist them). */
  readonly onOverridesChanged?: (overrides: HotkeyBindings) => void;
  /** Where focus is for a key press's target (default: read the DOM attributes, `focusContextOf`). */
  readonly focusOf?: (target: unknown) => FocusContext;
}

/** The attribute that names a hotkey scope on a panel's root element. */
export const SCOPE_ATTRIBUTE = 'data-hotkey-scope';
/** The attribute that declares the instrument token a scope shows. */
export const SCOPE_INSTRUMENT_ATTRIBUTE = 'data-hotkey-instrument';

/**
 * The focus context of an event target, from the `data-hotkey-scope` and `data-hotkey-instrument`
 * attributes of it and its ancestors.
 */
export function focusContextOf(target: unknown): FocusContext {
  const scopes: string[] = [];
  let scopeInstrument: number | undefined;
  let el: unknown = target;
  for (let depth = 0; depth < 64 && typeof el === 'object' && el !== null; depth++) {
    const node = el as ElementLike;
    if (typeof node.getAttribute === 'function') {
      const scope = node.getAttribute(SCOPE_ATTRIBUTE);
      if (scope !== null && scope !== '') {
        scopes.push(scope);
        const token = node.getAttribute(SCOPE_INSTRUMENT_ATTRIBUTE);
        if (scopeInstrument === undefined && token !== null && token !== '') {
          const n = Number(token);
          if (Number.isSafeInteger(n) && n > 0) scopeInstrument = n;
        }
      }
    }
    el = node.parentElement;
  }
  return { scopes, scopeInstrument, inTextField: isTextField(target) };
}

/** Bindings normalised, without duplicates or blanks, at most 4 (the settings schema's limit). */
function cleanBindings(bindings: readonly string[]): string[] {
  const out: string[] = [];
  for (const b of bindings) {
    const n = normaliseBinding(b);
    if (n !== undefined && !out.includes(n)) out.push(n);
  }
  return out.slice(0, 4);
}

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** The bindings in force: the override when the user has one, else the defaults. */
export function effectiveBindings(command: Command, overrides: HotkeyBindings): readonly string[] {
  const own = overrides[command.id];
  return own ?? command.keys;
}

/** Every binding shared by two or more commands of one scope. */
export function findConflicts(commands: readonly Command[], overrides: HotkeyBindings): Conflict[] {
  const byKey = new Map<string, { binding: string; scope: string | undefined; ids: string[] }>();
  for (const c of commands) {
    for (const binding of effectiveBindings(c, overrides)) {
      const scope = c.when?.scope;
      const slot = `${scope ?? ''}\u0000${binding}`;
      const entry = byKey.get(slot) ?? { binding, scope, ids: [] };
      if (!entry.ids.includes(c.id)) entry.ids.push(c.id);
      byKey.set(slot, entry);
    }
  }
  return [...byKey.values()]
    .filter((e) => e.ids.length > 1)
    .map((e) => ({ binding: e.binding, scope: e.scope, commandIds: e.ids }));
}

/** The text-field rule of `CommandWhen.inTextField`. */
function firesHere(c: Command, binding: string, focus: FocusContext): boolean {
  if (!focus.inTextField) return true;
  const allowed = c.when?.inTextField;
  return allowed ?? typesNothing(binding);
}

/**
 * Resolves a binding: among commands bound to it that apply where focus is, those of the innermost
 * scope win over outer scopes, and scoped ones over window-wide ones. One left runs; two or more in
 * the same scope are a conflict and none runs.
 */
export function resolveBinding(
  commands: readonly Command[],
  overrides: HotkeyBindings,
  binding: string,
  focus: FocusContext,
): Resolution {
  if (binding === '') return { kind: 'none' };
  const bound = commands.filter(
    (c) => effectiveBindings(c, overrides).includes(binding) && firesHere(c, binding, focus),
  );
  const levels: (string | undefined)[] = [...focus.scopes, undefined];
  for (const scope of levels) {
    const here = bound.filter((c) => c.when?.scope === scope);
    const [only, ...more] = here;
    if (only === undefined) continue;
    if (more.length === 0) return { kind: 'command', command: only };
    return { kind: 'conflict', commands: here };
  }
  return { kind: 'none' };
}

/** Creates a window's command registry. */
export function createHotkeyRegistry(options: HotkeyRegistryOptions = {}): HotkeyRegistry {
  const focusOf = options.focusOf ?? focusContextOf;
  // Every registration in order; the visible list keeps the newest of each id.
  const registrations: { readonly commands: readonly Command[] }[] = [];
  const store = createStore<HotkeyRegistryState>()(() => ({
    commands: [],
    overrides: {},
    notice: undefined,
    confirmation: undefined,
  }));
  let serial = 0;
  let answerPending: ((confirmed: boolean) => void) | undefined;

  const confirm = (commandId: string, question: ConfirmationRequest): Promise<boolean> => {
    // One question at a time: a new one withdraws the last (answered no).
    answerPending?.(false);
    serial += 1;
    const mine = serial;
    store.setState({ confirmation: { ...question, commandId, serial: mine } });
    return new Promise<boolean>((resolve) => {
      answerPending = (confirmed) => {
        answerPending = undefined;
        if (store.getState().confirmation?.serial === mine) store.setState({ confirmation: undefined });
        resolve(confirmed);
      };
    });
  };

  const publish = (): void => {
    const byId = new Map<string, Command>();
    for (const r of registrations) for (const c of r.commands) byId.set(c.id, c);
    store.setState({ commands: [...byId.values()] });
  };
  const commands = (): readonly Command[] => store.getState().commands;
  const overrides = (): HotkeyBindings => store.getState().overrides;

  const notify = (kind: HotkeyNotice['kind'], text: string, commandId?: string): void => {
    serial += 1;
    store.setState({ notice: { kind, text, commandId, serial } });
  };

  const invoke = async (command: Command, focus: FocusContext, binding: string | undefined) => {
    const invocation: CommandInvocation = {
      binding,
      scopes: focus.scopes,
      scopeInstrument: focus.scopeInstrument,
      inTextField: focus.inTextField,
      refuse: (why) => {
        notify('refused', why, command.id);
      },
      inform: (text) => {
        notify('info', text, command.id);
      },
      confirm: (question) => confirm(command.id, question),
    };
    try {
      await command.run(invocation);
    } catch (e) {
      notify('refused', `${command.label}: ${e instanceof Error ? e.message : String(e)}`, command.id);
    }
  };

  const setOverride = (id: string, bindings: readonly string[] | undefined): HotkeyBindings => {
    const next: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(overrides())) if (k !== id) next[k] = [...v];
    const command = store.getState().commands.find((c) => c.id === id);
    if (bindings !== undefined && !(command !== undefined && sameList(bindings, command.keys))) {
      next[id] = [...bindings];
    }
    store.setState({ overrides: next });
    options.onOverridesChanged?.(next);
    return next;
  };

  return {
    store,
    register: (list) => {
      const registration = { commands: list };
      registrations.push(registration);
      publish();
      return toDisposable(() => {
        const at = registrations.indexOf(registration);
        if (at >= 0) registrations.splice(at, 1);
        publish();
      });
    },
    command: (id) => commands().find((c) => c.id === id),
    bindingsOf: (id) => {
      const c = commands().find((x) => x.id === id);
      return c === undefined ? (overrides()[id] ?? []) : effectiveBindings(c, overrides());
    },
    isOverridden: (id) => overrides()[id] !== undefined,
    resolve: (binding, focus = NO_FOCUS) => resolveBinding(commands(), overrides(), binding, focus),
    conflicts: () => findConflicts(commands(), overrides()),
    dispatch: (event) => {
      if (event.defaultPrevented === true || event.isComposing === true) return false;
      const binding = keyOf(event);
      if (binding === '') return false;
      const focus = focusOf(event.target);
      const resolution = resolveBinding(commands(), overrides(), binding, focus);
      if (resolution.kind === 'none') return false;
      event.preventDefault?.();
      if (resolution.kind === 'conflict') {
        const names = resolution.commands.map((c) => `“${c.label}”`).join(' and ');
        notify('refused', `${binding} is bound to ${names}: nothing ran. Rebind one in the help (?).`);
        return true;
      }
      const { command } = resolution;
      if (event.repeat === true && command.repeats !== true) return true;
      void invoke(command, focus, binding);
      return true;
    },
    execute: async (id, focus = NO_FOCUS) => {
      const command = commands().find((c) => c.id === id);
      if (command === undefined) {
        notify('refused', `No command ${id} here.`);
        return;
      }
      await invoke(command, focus, undefined);
    },
    rebind: (id, bindings) => setOverride(id, cleanBindings(bindings)),
    reset: (id) => setOverride(id, undefined),
    setOverrides: (next) => {
      const clean: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(next)) clean[k] = cleanBindings(v);
      store.setState({ overrides: clean });
    },
    notify,
    dismissNotice: () => {
      store.setState({ notice: undefined });
    },
    answer: (confirmed) => {
      answerPending?.(confirmed);
    },
  };
}

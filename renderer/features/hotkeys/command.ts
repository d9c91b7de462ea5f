/** What the overlay groups commands under, in this order. */
export const COMMAND_CATEGORIES = [
  'Orders',
  'Ticket',
  'Ladder',
  'Chart',
  'Watchlist',
  'Search',
  'Risk',
  'Window',
] as const;
export type CommandCategory = (typeof COMMAND_CATEGORIES)[number];

/**
 * Where a command applies. A scope is a panel that marks its root element with
 * `hotkeyScope('ladder')` (the `data-hotkey-scope` attribute); focus is in it when the focused
 * element is inside it.
 */
export interface CommandWhen {
  /**
   * The scope focus must be in. Absent: anywhere in the window. A command of the focused scope wins
   * over a window-wide command on the same key (so the watchlist's ArrowUp is not the ladder's).
   */
  readonly scope?: string;
  /**
   * Whether it fires while focus is in a text field (an input, textarea, select or editable
   * content). `true`: on any binding. `false`: never (order commands: a letter typed into a field
   * must never trade). Absent: only on bindings that type nothing (Ctrl or Meta chords, F-keys,
   * Escape; see `typesNothing`), so `/` types a slash in a field while Ctrl+K still searches.
   */
  readonly inTextField?: boolean;
}

/** A question a command asks before it acts. */
export interface ConfirmationRequest {
  /** `Cancel all 4 working orders?` */
  readonly title: string;
  /** What it will do, in a line. */
  readonly detail?: string;
  /** The confirm button's words (`Cancel all`). */
  readonly confirmLabel: string;
  /** Irreversible or market-moving: the confirm button wears the alarm colour. */
  readonly danger?: boolean;
}

/** What a command's `run` is told about the key press (or menu click) that invoked it. */
export interface CommandInvocation {
  /** The binding pressed (`Shift+B`), or undefined when run from the overlay or a menu. */
  readonly binding: string | undefined;
  /** The scopes focus is in, innermost first (`['ladder']`), or empty. */
  readonly scopes: readonly string[];
  /**
   * The instrument token the innermost scope with one declares (`hotkeyScope('ladder', token)`),
   * or undefined. Order commands use it to tell which instrument a press means.
   */
  readonly scopeInstrument: number | undefined;
  /** Focus is in a text field. */
  readonly inTextField: boolean;
  /**
   * Says why the command did nothing (no instrument selected, quantity not a lot multiple...). The
   * host shows it where hotkey messages go; a refused command must not have sent anything.
   */
  readonly refuse: (why: string) => void;
  /** Says what the command did, when that is not visible elsewhere ("Cancelled 3 orders"). */
  readonly inform: (text: string) => void;
  /**
   * Asks the trader first (the host shows the question; Enter confirms, Escape cancels) and resolves
   * true only if they confirmed. For cancel all, flatten all and the kill switch.
   */
  readonly confirm: (question: ConfirmationRequest) => Promise<boolean>;
}

/**
 * A user command: data, so one registry can list, bind, rebind and run it (after Excalidraw's actions
 * and VS Code's keybinding service). Panels register their lists with `useCommands` (or
 * `registry.register`); the overlay lists every registered command by category.
 */
export interface Command {
  /** Unique and stable: settings.hotkeys keys the user's bindings by it (`orders.buy`). Max 64 chars. */
  readonly id: string;
  /** What it does, in the trader's words ("Buy the selected instrument"). */
  readonly label: string;
  readonly category: CommandCategory;
  /**
   * Default bindings as `keyOf` names them (`B`, `Shift+F1`, `Ctrl+K`, `Alt+ArrowUp`); at most 4. The
   * user's overrides replace the whole list.
   */
  readonly keys: readonly string[];
  readonly when?: CommandWhen;
  /**
   * Whether a held key's auto-repeat runs it again. False by default: holding B must not send one
   * order per repeat. Selection moves and steps set it.
   */
  readonly repeats?: boolean;
  /**
   * Runs the command. May be async; a rejection is shown as a refusal. Must check its own
   * preconditions and call `invocation.refuse(why)` instead of guessing.
   */
  readonly run: (invocation: CommandInvocation) => void | Promise<void>;
}

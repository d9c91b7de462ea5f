// The hotkey registry's public surface. Commands are data (`Command`: id, label, category, default
// keys, `when`, `run`); panels register theirs with `useCommands`; one `HotkeyHost` per window
// dispatches key presses, shows the help overlay (`?`) where every binding can be rebound, and
// persists the user's bindings in settings.hotkeys. See HotkeyHost.tsx for mounting it.
export { COMMAND_CATEGORIES } from './command';
export type { Command, CommandCategory, CommandInvocation, CommandWhen } from './command';
export { bindingText, isTextField, keyOf, normaliseBinding } from './keys';
export type { KeyLike } from './keys';
export {
  NO_FOCUS,
  createHotkeyRegistry,
  effectiveBindings,
  findConflicts,
  focusContextOf,
  resolveBinding,
} from './registry';
export type {
  Conflict,
  FocusContext,
  HotkeyNotice,
  HotkeyRegistry,
  HotkeyRegistryState,
  KeyPress,
  Resolution,
} from './registry';
export { hotkeysPatch, startHotkeys } from './hotkeysBridge';
export type {
  HotkeySettingsService,
  HotkeysHandle,
  HotkeysState,
  StartHotkeysOptions,
} from './hotkeysBridge';
export {
  HotkeysContext,
  hotkeyScope,
  useBindings,
  useCommands,
  useHotkeyRegistry,
  useHotkeyRegistryState,
  useHotkeys,
  useHotkeysState,
} from './hotkeysContext';
export type { HotkeyScopeProps } from './hotkeysContext';
export { HELP_COMMAND_ID, HotkeyHost } from './HotkeyHost';
export type { HotkeyHostProps } from './HotkeyHost';

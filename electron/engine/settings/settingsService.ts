import { Emitter } from '../../../shared/emitter';
import type { ServiceOf } from '../../../shared/rpc/service';
import { SettingsSchema } from '../../../shared/services/settings';
import type { Settings, settingsService } from '../../../shared/services/settings';

export type SettingsService = ServiceOf<typeof settingsService>;

/**
 * The `settings` service. The channel has already validated every patch against
 * SettingsPatchSchema; a patch is applied whole or not at all: `persist` (the engine database)
 * runs before the change is visible, and a failure there changes nothing. A stored value that no
 * longer parses (an older build's) falls back to the defaults field by field.
 */
export function createSettingsService(
  initial: unknown = {},
  persist: (settings: Settings) => void = () => undefined,
): SettingsService {
  let current: Settings = parseLeniently(initial);
  const changed = new Emitter<Settings>();
  return {
    get: () => Promise.resolve(current),
    set(patch) {
      const next = SettingsSchema.parse({ ...current, ...patch });
      persist(next);
      current = next;
      changed.fire(next);
      return Promise.resolve(next);
    },
    onChanged: (listener) => changed.on(listener),
  };
}

/** Settings from a stored document: each field that parses is kept; the others take their defaults. */
export function parseLeniently(stored: unknown): Settings {
  const whole = SettingsSchema.safeParse(stored);
  if (whole.success) return whole.data;
  const fields = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    const one = SettingsSchema.safeParse({ [key]: value });
    if (one.success) kept[key] = value;
  }
  return SettingsSchema.parse(kept);
}

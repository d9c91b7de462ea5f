import { Emitter } from '../../../shared/emitter';
import type { ServiceOf } from '../../../shared/rpc/service';
import { SettingsSchema } from '../../../shared/services/settings';
import type { Settings, settingsService } from '../../../shared/services/settings';

export type SettingsService = ServiceOf<typeof settingsService>;

/**
 * The `settings` service, held in memory for now (the journal issue persists it). The channel has
 * already validated every patch against SettingsPatchSchema; a patch is applied whole or not at all.
 */
export function createSettingsService(initial: unknown = {}): SettingsService {
  let current: Settings = SettingsSchema.parse(initial);
  const changed = new Emitter<Settings>();
  return {
    get: () => Promise.resolve(current),
    set(patch) {
      const next = SettingsSchema.parse({ ...current, ...patch });
      current = next;
      changed.fire(next);
      return Promise.resolve(next);
    },
    onChanged: (listener) => changed.on(listener),
  };
}

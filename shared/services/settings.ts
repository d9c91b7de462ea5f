import { z } from 'zod';
import { defineService } from '../rpc/service';
import { RiskLimitsSchema } from './risk';
import { TradingModeSchema } from './system';
import { HotkeyBindingsSchema, LayoutsSchema } from './workspace';

/**
 * The user's settings. Every field has a default, so an empty store is valid. Grows with each
 * feature; persistence arrives with the journal.
 */
export const SettingsSchema = z.object({
  theme: z.enum(['dark', 'light']).default('dark'),
  /** Ask before sending each order placed by hotkey or ladder click. */
  confirmOrders: z.boolean().default(true),
  /** Decimal places shown for quantities and prices are per instrument; this is the table density. */
  density: z.enum(['compact', 'comfortable']).default('compact'),
  /**
   * Where orders go and prices come from: `sim` (the local exchange), `paper` (Kite's prices, fills
   * simulated) or `live` (Kite). Changing it switches the engine's session at once. Its default is
   * the mode the engine was started with.
   */
  mode: TradingModeSchema.default('sim'),
  /** Pre-trade limits and the daily loss limit (the `risk` service reads and changes them). */
  riskLimits: RiskLimitsSchema.prefault({}),
  /** The user's hotkey bindings over the defaults, by command id. */
  hotkeys: HotkeyBindingsSchema.default({}),
  /** Docking layouts of the terminal window. */
  layouts: LayoutsSchema.prefault({}),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** A change to some settings; fields not named stay as they are. */
export const SettingsPatchSchema = z
  .object({
    theme: z.enum(['dark', 'light']),
    confirmOrders: z.boolean(),
    density: z.enum(['compact', 'comfortable']),
    mode: TradingModeSchema,
    riskLimits: RiskLimitsSchema,
    hotkeys: HotkeyBindingsSchema,
    layouts: LayoutsSchema,
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** The `settings` service: read and change settings, and hear about changes from any window. */
export const settingsService = defineService(
  'settings',
  {
    get: { params: z.undefined(), result: SettingsSchema },
    /** Applies `patch` and returns the settings after it; an invalid patch changes nothing. */
    set: { params: SettingsPatchSchema, result: SettingsSchema },
  },
  {
    onChanged: { params: z.undefined(), event: SettingsSchema },
  },
);

import { z } from 'zod';

/**
 * The parts of the terminal's workspace kept in settings (so in the profile's database): the
 * user's hotkey bindings and the window layouts. The renderer owns their meaning; the engine only
 * validates and stores them.
 */

/** A key binding as the renderer names it: modifiers in a fixed order, then the key (`Ctrl+Shift+K`). */
export const KeyBindingSchema = z.string().min(1).max(48);

/**
 * The user's bindings, by command id. A command not named keeps its default bindings; an empty
 * list unbinds it.
 */
export const HotkeyBindingsSchema = z.record(z.string().min(1).max(64), z.array(KeyBindingSchema).max(4));
export type HotkeyBindings = z.infer<typeof HotkeyBindingsSchema>;

/** A stack of panels shown as tabs; `active` indexes `panels`. Panel ids are the renderer's. */
export interface LayoutStack {
  readonly kind: 'stack';
  readonly panels: readonly string[];
  readonly active: number;
}
/** Panels side by side (`row`) or one above the other (`column`); sizes are shares of the whole. */
export interface LayoutSplit {
  readonly kind: 'split';
  readonly direction: 'row' | 'column';
  readonly children: readonly { readonly size: number; readonly node: LayoutNode }[];
}
/** A docking layout: a tree of splits whose leaves are stacks of panels. */
export type LayoutNode = LayoutStack | LayoutSplit;

const LayoutStackSchema = z
  .object({
    kind: z.literal('stack'),
    panels: z.array(z.string().min(1).max(64)).min(1).max(24),
    active: z.number().int().nonnegative(),
  })
  .refine((s) => s.active < s.panels.length, { message: 'active must index panels' });

/** Validates a layout tree (at most 8 levels deep, 8 children a split). */
export const LayoutNodeSchema: z.ZodType<LayoutNode> = z.lazy(() =>
  z.union([
    LayoutStackSchema,
    z.object({
      kind: z.literal('split'),
      direction: z.enum(['row', 'column']),
      children: z
        .array(z.object({ size: z.number().positive(), node: LayoutNodeSchema }))
        .min(1)
        .max(8),
    }),
  ]),
);

/** Saved layouts by name, and the one in use. An empty `saved` means the built-in presets only. */
export const LayoutsSchema = z.object({
  active: z.string().min(1).max(64).default('default'),
  saved: z.record(z.string().min(1).max(64), LayoutNodeSchema).default({}),
});
export type Layouts = z.infer<typeof LayoutsSchema>;

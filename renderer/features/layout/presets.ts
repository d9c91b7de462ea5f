import { split, stack } from './layoutModel';
import type { LayoutNode } from './layoutModel';

// The built-in layouts. Each holds every panel of the terminal (the ones not in view as tabs), so
// nothing is lost by switching; the user's changes to one are kept under its name in settings.

export interface LayoutPreset {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly tree: LayoutNode;
}

/** The panel ids the presets use; the registry (windows/terminal/panels.tsx) defines them. */
export const PANEL_IDS = [
  'watchlist',
  'chart',
  'depth',
  'ticket',
  'orders',
  'algos',
  'positions',
  'engine',
  'ladder',
  'trades',
  'holdings',
  'pnl',
  'risk',
  'strategies',
  'log',
] as const;
export type PanelId = (typeof PANEL_IDS)[number];

const ids = (...panels: PanelId[]): readonly string[] => panels;

/** Search and the watchlist | the chart | depth and the ticket, over the orders and positions. */
const DEFAULT_LAYOUT = split('column', [
  [
    0.72,
    split('row', [
      [
        0.355,
        split('column', [
          [0.76, stack(ids('watchlist'))],
          [0.24, stack(ids('engine', 'log'))],
        ]),
      ],
      [0.44, stack(ids('chart', 'ladder'))],
      [
        0.205,
        split('column', [
          [0.37, stack(ids('depth'))],
          [0.63, stack(ids('ticket', 'risk'))],
        ]),
      ],
    ]),
  ],
  [
    0.28,
    split('row', [
      [0.52, stack(ids('orders', 'algos', 'trades'))],
      [0.48, stack(ids('positions', 'pnl', 'holdings', 'strategies'))],
    ]),
  ],
]);

/**
 * The ladder tall on the left; the chart with depth and the ticket beside it; the watchlist and the
 * blotters under them (toasts land bottom right, clear of the ladder's prices).
 */
const SCALPER_LAYOUT = split('row', [
  [0.25, stack(ids('ladder'))],
  [
    0.75,
    split('column', [
      [
        0.64,
        split('row', [
          [0.7, stack(ids('chart', 'pnl'))],
          [
            0.3,
            split('column', [
              [0.43, stack(ids('depth'))],
              [0.57, stack(ids('ticket', 'risk'))],
            ]),
          ],
        ]),
      ],
      [
        0.36,
        split('row', [
          [0.48, stack(ids('watchlist'))],
          [
            0.52,
            stack(ids('positions', 'orders', 'algos', 'trades', 'holdings', 'log', 'strategies', 'engine')),
          ],
        ]),
      ],
    ]),
  ],
]);

/** The chart as big as it goes, depth and the ticket at its side, the watchlist and blotters under it. */
const CHARTS_LAYOUT = split('column', [
  [
    0.72,
    split('row', [
      [0.79, stack(ids('chart', 'ladder'))],
      [
        0.21,
        split('column', [
          [0.37, stack(ids('depth'))],
          [0.63, stack(ids('ticket', 'risk'))],
        ]),
      ],
    ]),
  ],
  [
    0.28,
    split('row', [
      [0.37, stack(ids('watchlist'))],
      [
        0.63,
        stack(
          ids('positions', 'orders', 'algos', 'trades', 'pnl', 'holdings', 'log', 'strategies', 'engine'),
        ),
      ],
    ]),
  ],
]);

export const LAYOUT_PRESETS: readonly LayoutPreset[] = [
  {
    name: 'default',
    label: 'Default',
    description: 'Watchlist, chart, depth and ticket over the orders and positions',
    tree: DEFAULT_LAYOUT,
  },
  {
    name: 'scalper',
    label: 'Scalper',
    description: 'The ladder tall, with the chart, depth and the ticket beside it',
    tree: SCALPER_LAYOUT,
  },
  { name: 'charts', label: 'Charts', description: 'The chart as big as it goes', tree: CHARTS_LAYOUT },
];

export const DEFAULT_PRESET = 'default';

/** The built-in layout of that name. */
export function presetNamed(name: string): LayoutPreset | undefined {
  return LAYOUT_PRESETS.find((p) => p.name === name);
}

import type { ReactNode } from 'react';
import type { Served } from '../orders';

/** One column of a blotter: its `<col>` class (the width, in the feature's CSS) and its head. */
export interface GridColumn {
  /** The `<col>` class that sets the width. */
  readonly col: string;
  /** The head's text; empty for an actions column, which then needs `label`. */
  readonly head: string;
  /** Right-aligned tabular numbers. */
  readonly num?: boolean;
  /** The head's accessible name when it shows no text. */
  readonly label?: string;
  /** Extra classes on the head cell. */
  readonly className?: string;
}

/** What an empty grid says, by whether the engine serves its stream. */
export interface EmptyTexts {
  /** The engine has no such service. */
  readonly no: string;
  /** Not yet known (still connecting or loading). */
  readonly waiting: string;
  /** Served, and nothing in it. */
  readonly none: string;
}

export function emptyText(served: Served, texts: EmptyTexts, loading = false): string {
  if (served === 'no') return texts.no;
  if (served === 'unknown' || loading) return texts.waiting;
  return texts.none;
}

export interface GridPanelProps {
  /** The feature's name: the section's class and test id, and the title's id. */
  readonly name: string;
  readonly title: string;
  /** The table's own class, for its column widths. */
  readonly tableClass: string;
  readonly columns: readonly GridColumn[];
  /** What the head shows after the title (counts, notices, buttons). */
  readonly head?: ReactNode;
  /** The rows. */
  readonly children: ReactNode;
  /** A `<tfoot>` row or rows, when there are totals. */
  readonly foot?: ReactNode;
  /** Shown under the head when there are no rows; nothing when undefined. */
  readonly empty?: string | undefined;
}

/**
 * A blotter panel: a head with the title and the feature's own controls, then a fixed-layout
 * table (renderer/styles/grid.css) whose widths come from `<col>` classes, so a changing value
 * never moves a column.
 */
export function GridPanel({ name, title, tableClass, columns, head, children, foot, empty }: GridPanelProps) {
  const titleId = `${name}-title`;
  return (
    <section className={`panel ${name}`} data-testid={name} aria-labelledby={titleId}>
      <header className="panel__head">
        <h2 className="panel__title" id={titleId}>
          {title}
        </h2>
        {head}
      </header>
      <div className="grid-body">
        <table className={`grid-table ${tableClass}`}>
          <colgroup>
            {columns.map((c, i) => (
              <col key={i} className={c.col} />
            ))}
          </colgroup>
          <thead>
            <tr>
              {columns.map((c, i) => (
                <th
                  key={i}
                  className={[c.num === true ? 'num' : '', c.className ?? ''].join(' ').trim() || undefined}
                  aria-label={c.label}
                >
                  {c.head}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
          {foot === undefined ? null : <tfoot>{foot}</tfoot>}
        </table>
        {empty === undefined ? null : <p className="grid-empty">{empty}</p>}
      </div>
    </section>
  );
}

import './log.css';
import { memo } from 'react';
import { formatIstTime } from '../../../shared/time/ist';
import type { EventLogState, LogEntry } from './eventLog';
import { useEventLog, useEventLogHandle } from './logContext';

const selectEntries = (s: EventLogState) => s.entries;
const selectTotal = (s: EventLogState) => s.total;

const SOURCE_LABELS: Readonly<Record<LogEntry['source'], string>> = {
  order: 'ORDER',
  fill: 'FILL',
  connection: 'LINK',
  session: 'SESSION',
  risk: 'RISK',
};

const Entry = memo(function Entry({ entry }: { readonly entry: LogEntry }) {
  return (
    <li className="log-entry" data-testid="log-entry" data-source={entry.source} data-level={entry.level}>
      <span className="num log-time">{formatIstTime(entry.at)}</span>
      <span className="log-source">{SOURCE_LABELS[entry.source]}</span>
      <span className="log-text" title={entry.text}>
        {entry.text}
      </span>
    </li>
  );
});

/** The window's events, newest first: orders, fills, the engine link, the session, risk. */
export function LogPanel() {
  const log = useEventLogHandle();
  const entries = useEventLog(selectEntries);
  const total = useEventLog(selectTotal);
  return (
    <section className="panel log" data-testid="log" aria-labelledby="log-title">
      <header className="panel__head">
        <h2 className="panel__title" id="log-title">
          Log
        </h2>
        <span className="log-count num">
          {entries.length === total ? entries.length : `${entries.length} of ${total}`}
        </span>
        <button
          type="button"
          className="btn"
          disabled={entries.length === 0}
          onClick={() => {
            log.clear();
          }}
        >
          Clear
        </button>
      </header>
      {entries.length === 0 ? (
        <p className="log-empty">Nothing yet. Orders, fills, the engine link and risk changes show here.</p>
      ) : (
        <ol className="log-list" role="log" aria-label="Events, newest first">
          {entries.map((e) => (
            <Entry key={e.seq} entry={e} />
          ))}
        </ol>
      )}
    </section>
  );
}

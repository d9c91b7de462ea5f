import './processes.css';
import type { SupervisedProcessName } from '../../../shared/electronBridge';
import { describeProcess } from './format';
import { useProcesses } from './processContext';
import type { ProcessRecord, ProcessState } from './processStore';

// Status-bar items about the child processes main supervises. Each item reads only its own record,
// so news about the exchange never re-renders the engine's item. An item is absent while its
// process runs and never crashed, and always in web mode, where nothing fills the store.

type SelectRecord = (s: ProcessState) => ProcessRecord | undefined;

const SELECT_RECORD: Readonly<Record<SupervisedProcessName, SelectRecord>> = {
  engine: (s) => s.byName.engine,
  exchange: (s) => s.byName.exchange,
};

/**
 * One process while it is not running normally (`engine restarting in 0.4 s · 3 restarts`), or, once
 * it runs again, that it crashed earlier (`engine ↻3`).
 */
export function ProcessStatus({ name }: { readonly name: SupervisedProcessName }) {
  const record = useProcesses(SELECT_RECORD[name]);
  if (record === undefined) return null;
  const display = describeProcess(record);
  if (display === undefined) return null;
  return (
    <span
      className="sb-process num"
      data-testid={`process-${name}`}
      data-state={record.status.state}
      data-level={display.level}
      title={display.title}
    >
      <span className="sb-process__text">{display.text}</span>
    </span>
  );
}

/** The engine's item, then the local exchange's. */
export function ProcessStatusItems() {
  return (
    <>
      <ProcessStatus name="engine" />
      <ProcessStatus name="exchange" />
    </>
  );
}

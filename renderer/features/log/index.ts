// The log feature's public surface: the window's event log (a ring buffer), its feeds from the
// window's stores, what happens to orders, and the panel.
export { LOG_CAPACITY, createEventLog, startEventLogFeeds } from './eventLog';
export type { EventLog, EventLogSources, EventLogState, EventLogStore, LogEntry } from './eventLog';
export { watchOrders } from './orderEvents';
export type { OrderEvent } from './orderEvents';
export { RingBuffer } from './ringBuffer';
export { EventLogContext, useEventLog, useEventLogHandle } from './logContext';
export { LogPanel } from './LogPanel';

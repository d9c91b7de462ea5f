// The order ticket's public surface: the ticket panel (F1/F2 open it), its store and its rules.
export { OrderMarginContext, OrderTicket, TICKET_QUANTITY_ID } from './OrderTicket';
export type { OrderTicketProps } from './OrderTicket';
export { createTicketStore } from './ticketStore';
export type { TicketOutcome, TicketState, TicketStore } from './ticketStore';
export { TICKET_COMMANDS, ticketCommandForKey, ticketHotkeys } from './ticketCommands';
export type { TicketHotkeyDeps } from './ticketCommands';
export type { OrderMarginSource } from './ticketMargin';
export { hotkeyOrder, readTicks } from './ticketOrder';

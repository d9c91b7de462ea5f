// The local exchange's Kite venue: what the host serves behind the Kite protocol layer.
export { ExchangeVenue, OPENING_BALANCE_PAISE } from './exchangeVenue';
export type { ExchangeVenueOptions } from './exchangeVenue';
export {
  CHARGE_SCHEDULES,
  chargeScheduleAt,
  chargeSegment,
  orderCharges,
  sumCharges,
} from '../../../shared/domain/charges';
export type { ChargeSegment, OrderCharges } from '../../../shared/domain/charges';

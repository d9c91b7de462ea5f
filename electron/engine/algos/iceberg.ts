/**
 * The iceberg: a limit order shown one leg at a time. A leg goes in when no leg works and the filled
 * quantity is short of the total; it is at most the leg size (whole lots, varied at random by up to
 * a fifth when asked), the exchange's freeze quantity and what is left. Everything is read from the
 * children each step, so a restart resumes with the next leg and the filled total can never pass the
 * total: a leg whose outcome is unknown counts as working until the OMS resolves it.
 *
 * Our own legs everywhere (the local exchange, paper, live, backtests). Kite's `iceberg` variety
 * (one request, legs placed by the exchange) caps legs and hides them from the order book's tags.
 */
import type { IcebergSpec, ModifyAlgo } from '../../../shared/services/algos';
import { Algo, algoRefusal, fillsOf, formatWire, isBusy, isWorking, unfilled } from './algo';
import type { AlgoContext, AlgoProgress, AlgoInstrument, BaseState } from './algo';

export interface IcebergState {
  readonly price: number;
  readonly quantity: number;
  /** Units per leg before any variation. */
  readonly legQuantity: number;
}

/** The leg size of a spec, whole lots; throws INVALID_ALGO when the spec cannot work. */
export function legQuantityOf(spec: IcebergSpec, i: AlgoInstrument): number {
  const lot = i.lotSize;
  const bad = (m: string): never => {
    throw algoRefusal('INVALID_ALGO', m);
  };
  if (spec.quantity % lot !== 0) bad(`Quantity ${spec.quantity} is not a multiple of the lot size ${lot}.`);
  if (spec.price % i.tickSize !== 0)
    bad(`Price ${spec.price} is not a multiple of the tick size ${i.tickSize}.`);
  if ((spec.legQuantity === undefined) === (spec.legs === undefined))
    bad('Give either the leg quantity or the number of legs.');
  const lots = spec.quantity / lot;
  const leg = spec.legQuantity ?? Math.ceil(lots / (spec.legs ?? 1)) * lot;
  if (leg % lot !== 0) bad(`The leg quantity ${leg} is not a multiple of the lot size ${lot}.`);
  if (leg >= spec.quantity) bad(`A leg of ${leg} would show the whole ${spec.quantity}: use a plain order.`);
  if (i.freezeQuantity !== null && leg > i.freezeQuantity)
    bad(`A leg of ${leg} is above the exchange's freeze quantity ${i.freezeQuantity}.`);
  return leg;
}

export class Iceberg extends Algo<IcebergSpec, IcebergState> {
  constructor(
    id: string,
    spec: IcebergSpec,
    ctx: AlgoContext,
    createdAt: number,
    saved?: { own: IcebergState; base: BaseState },
  ) {
    super(
      id,
      spec,
      ctx,
      createdAt,
      saved?.own ?? {
        price: spec.price,
        quantity: spec.quantity,
        legQuantity: legQuantityOf(spec, ctx.instrument),
      },
      saved?.base,
    );
  }

  progress(): AlgoProgress {
    return this.childrenProgress();
  }

  /** The next leg's size: the leg size, varied by up to a fifth in whole lots when asked, within what is left. */
  private nextLeg(left: number): number {
    const { lotSize, freezeQuantity } = this.ctx.instrument;
    let leg = this.state.legQuantity;
    if (this.spec.randomise) {
      const lots = leg / lotSize;
      const spread = Math.floor(lots / 5);
      leg = (lots + Math.floor(this.ctx.random() * (2 * spread + 1)) - spread) * lotSize;
    }
    if (freezeQuantity !== null) leg = Math.min(leg, Math.floor(freezeQuantity / lotSize) * lotSize);
    return Math.max(lotSize, Math.min(leg, left));
  }

  step(): void {
    if (this.status !== 'WORKING') return;
    if (this.ending !== null) {
      this.end(this.ending.status, this.ending.reason);
      return;
    }
    const children = this.ctx.children();
    const unexpected = this.unexpectedEnd(children);
    if (unexpected !== null) {
      this.end(unexpected.status, unexpected.reason);
      return;
    }
    const filled = fillsOf(children).quantity;
    const working = children.filter(isWorking);
    const total = this.state.quantity;
    const f = this.ctx.instrument.priceDivisor;
    if (working.length === 0) {
      if (filled >= total) {
        this.status = 'COMPLETED';
        this.reason = `filled ${filled} in ${children.filter((c) => c.filledQuantity > 0).length} legs`;
        this.phase = '';
        return;
      }
      const leg = this.placeChild({
        side: this.spec.side,
        quantity: this.nextLeg(total - filled),
        orderType: 'LIMIT',
        price: this.state.price,
      });
      if (leg === undefined) {
        if (!this.isStopped()) this.phase = this.waiting;
        return;
      }
    } else {
      // Keep the working leg at the iceberg's price and within what is left of the total.
      for (const w of working) {
        if (isBusy(w)) continue;
        const room = total - filled + w.filledQuantity;
        if (room < w.quantity) {
          if (room <= w.filledQuantity) this.cancelChild(w);
          else this.ctx.modify(w.clientOrderId, { quantity: room });
        } else if (w.price !== this.state.price)
          this.ctx.modify(w.clientOrderId, { price: this.state.price });
      }
    }
    const shown = this.ctx.children().reduce((n, c) => n + unfilled(c), 0);
    const legs = this.ctx.children().length;
    this.phase = `leg ${legs}: ${filled} of ${total} filled, ${shown} showing at ${formatWire(this.state.price, f)}`;
  }

  modify(m: ModifyAlgo): void {
    this.requireWorking();
    if (m.targetPrice !== undefined || m.stopPrice !== undefined)
      throw algoRefusal('NOT_MODIFIABLE', 'An iceberg has no target or stop.');
    const { tickSize, lotSize } = this.ctx.instrument;
    if (m.price !== undefined && m.price % tickSize !== 0)
      throw algoRefusal('INVALID_ALGO', `Price ${m.price} is not a multiple of the tick size ${tickSize}.`);
    if (m.quantity !== undefined) {
      if (m.quantity % lotSize !== 0)
        throw algoRefusal(
          'INVALID_ALGO',
          `Quantity ${m.quantity} is not a multiple of the lot size ${lotSize}.`,
        );
      const children = this.ctx.children();
      const committed = children.reduce((n, c) => n + (isWorking(c) ? c.quantity : c.filledQuantity), 0);
      const filled = fillsOf(children).quantity;
      if (m.quantity < filled)
        throw algoRefusal('INVALID_ALGO', `Quantity ${m.quantity} is below the ${filled} already filled.`);
      if (m.quantity < committed && children.some((c) => isWorking(c) && isBusy(c)))
        throw algoRefusal('NOT_MODIFIABLE', 'A leg has a request unanswered; try again.');
    }
    this.state = {
      ...this.state,
      ...(m.price === undefined ? {} : { price: m.price }),
      ...(m.quantity === undefined ? {} : { quantity: m.quantity }),
    };
    this.step();
  }

  /** The total asked for now (after a modify). */
  override view() {
    return { ...super.view(), quantity: this.state.quantity };
  }
}

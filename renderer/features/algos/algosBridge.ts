import { DisposableStore } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import { RpcError } from '../../../shared/rpc/errors';
import type { ServiceOf } from '../../../shared/rpc/service';
import { ALGO_REFUSAL_CODES } from '../../../shared/services/algos';
import type {
  AlgoSpecInput,
  AlgoView,
  ModifyAlgo,
  RouteDecision,
  RouteRequest,
  algosService,
} from '../../../shared/services/algos';
import type { OrderView } from '../../../shared/services/orders';
import type { EngineLink } from '../market';
import { refusalOf } from '../orders';
import type { Refusal } from '../orders';
import type { AlgosStore } from './algosStore';

/** The engine's algos service, as the renderer calls it. */
export type AlgosService = ServiceOf<typeof algosService>;

/** What a request ended with: the algorithm as the engine answered, or why not. */
export type AlgoOutcome =
  { readonly ok: true; readonly algo: AlgoView } | { readonly ok: false; readonly refusal: Refusal };

/** Where the engine would route an order now (nothing placed), or why it cannot say. */
export type RouteOutcome =
  { readonly ok: true; readonly decision: RouteDecision } | { readonly ok: false; readonly refusal: Refusal };

/** A leg of a routed order that its exchange's checks refused (the legs before it stand). */
export interface RefusedLeg {
  readonly exchange: string;
  readonly quantity: number;
  readonly message: string;
}

/** A routed order: the decision it was placed on, its legs placed, any later leg refused; or why nothing was placed. */
export type RoutedOutcome =
  | {
      readonly ok: true;
      readonly decision: RouteDecision;
      readonly orders: readonly OrderView[];
      readonly refused: readonly RefusedLeg[];
    }
  | { readonly ok: false; readonly refusal: Refusal };

/** The trader's algorithm commands. Each resolves (never rejects) with its outcome. */
export interface AlgoActions {
  start(spec: AlgoSpecInput): Promise<AlgoOutcome>;
  modify(change: ModifyAlgo): Promise<AlgoOutcome>;
  cancel(algoId: string): Promise<AlgoOutcome>;
  /** Smart order routing between NSE and BSE: where the order would go now, and why. */
  route(request: RouteRequest): Promise<RouteOutcome>;
  /** Routes the order on the books as they are now and places its legs. */
  placeRouted(request: RouteRequest): Promise<RoutedOutcome>;
}

/** The window's algorithms: the store the panel reads, the commands, and the feed that keeps it current. */
export interface AlgosHandle extends Disposable {
  readonly store: AlgosStore;
  readonly actions: AlgoActions;
}

function notServed(e: unknown): boolean {
  return e instanceof RpcError && e.code === 'UNKNOWN_METHOD';
}

const ALGO_CODES: ReadonlySet<string> = new Set(ALGO_REFUSAL_CODES);

/**
 * How a failed algorithm request reads: as an order request's (refusalOf: a start can be refused
 * with its first child's order code), with the algorithm's own codes kept and the words about an
 * engine without the service or a lost answer said of algorithms.
 */
export function algoRefusalOf(error: unknown): Refusal {
  const refusal = refusalOf(error);
  if (!(error instanceof RpcError)) return refusal;
  if (error.code === 'REJECTED') {
    const details: unknown = error.details;
    const code =
      typeof details === 'object' && details !== null
        ? (details as Record<string, unknown>)['code']
        : undefined;
    return typeof code === 'string' && ALGO_CODES.has(code) ? { ...refusal, code } : refusal;
  }
  if (error.code === 'INVALID_PARAMS') {
    return { ...refusal, message: refusal.message.replace(/^Not a valid order\./, 'Not a valid algorithm.') };
  }
  if (error.code === 'UNKNOWN_METHOD') {
    return {
      ...refusal,
      message: 'This engine does not run algorithms (brackets, icebergs, TWAP, VWAP) yet.',
    };
  }
  if (refusal.uncertain) return { ...refusal, suggestion: 'Check the algos panel before trying again.' };
  return refusal;
}

/**
 * How a failed route or routed placement reads: as an order request's, with an engine without
 * routing said so, and a lost answer of a placement sent to the orders grid (a leg may stand). A
 * lost answer of `route` placed nothing: it is not uncertain.
 */
export function routeRefusalOf(error: unknown, placing: boolean): Refusal {
  const refusal = refusalOf(error);
  if (error instanceof RpcError && error.code === 'UNKNOWN_METHOD')
    return { ...refusal, message: 'This engine does not route orders between NSE and BSE (SOR) yet.' };
  if (!refusal.uncertain) return refusal;
  return placing
    ? { ...refusal, suggestion: 'Check the orders grid (NSE and BSE) before trying again.' }
    : { ...refusal, uncertain: false, suggestion: 'Nothing was placed.' };
}

/**
 * Keeps `store` on the engine's algorithms: the list fetched on every connection, then the stream.
 * An engine without the `algos` service answers UNKNOWN_METHOD, which the store records (the panel
 * says so) and nothing else happens.
 */
export function startAlgos(service: AlgosService, link: EngineLink, store: AlgosStore): AlgosHandle {
  const owned = new DisposableStore();
  const state = () => store.getState();

  const fetch = (): void => {
    if (!link.isConnected()) return;
    service.list().then(
      ({ algos }) => {
        state().listed(algos);
      },
      (e: unknown) => {
        if (notServed(e)) state().servedChanged('no');
      },
    );
  };
  owned.add(
    service.onAlgos((a) => {
      state().received(a);
    }),
  );
  owned.add(link.onConnected(fetch));
  fetch();

  /** Runs a request about one algorithm: marks it busy, records its answer or the refusal. */
  const run = async (
    action: string,
    busyId: string | undefined,
    request: () => Promise<{ algo: AlgoView }>,
  ): Promise<AlgoOutcome> => {
    if (busyId !== undefined) state().busyChanged(busyId, true);
    try {
      const { algo } = await request();
      state().received(algo);
      state().noticed(undefined);
      return { ok: true, algo };
    } catch (e) {
      const refusal = algoRefusalOf(e);
      if (notServed(e)) state().servedChanged('no');
      // A refused start is told where it was asked (the ticket, the ladder), not over the grid.
      if (action !== 'Start') state().noticed({ action, refusal });
      return { ok: false, refusal };
    } finally {
      if (busyId !== undefined) state().busyChanged(busyId, false);
    }
  };

  const actions: AlgoActions = {
    start: (spec) => run('Start', undefined, () => service.start(spec)),
    modify: (change) => run(`Modify ${change.algoId}`, change.algoId, () => service.modify(change)),
    cancel: (id) => run(`Cancel ${id}`, id, () => service.cancel({ algoId: id })),
    // Routing is told where it was asked (the ticket); an engine without it still runs algorithms.
    route: async (request) => {
      try {
        const { decision } = await service.route(request);
        return { ok: true, decision };
      } catch (e) {
        return { ok: false, refusal: routeRefusalOf(e, false) };
      }
    },
    placeRouted: async (request) => {
      try {
        const { decision, orders, refused } = await service.placeRouted(request);
        return { ok: true, decision, orders, refused };
      } catch (e) {
        return { ok: false, refusal: routeRefusalOf(e, true) };
      }
    },
  };

  return {
    store,
    actions,
    dispose: () => {
      owned.dispose();
    },
  };
}

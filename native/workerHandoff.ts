/**
 * Starting a worker thread with its rings and views: the parent describes its native structures,
 * the worker attaches its own views to the same SharedArrayBuffers. Nothing is copied.
 * Structures can also be handed over later: post `describeAll(set)` and `attachAll` it there.
 *
 * Typed without Node's types on purpose: native/ stays free of Node so that it also builds for
 * renderer workers. The caller passes the Worker constructor (node:worker_threads' `Worker` fits
 * `WorkerConstructorLike`), so only the caller imports Node.
 */
import { ColumnStore } from './columnStore';
import type { ColumnStoreDescriptor } from './columnStore';
import { QuoteBoard } from './quoteBoard';
import type { QuoteBoardDescriptor } from './quoteBoard';
import { SlabPool } from './slabPool';
import type { RecordSchema, SlabPoolDescriptor } from './slabPool';
import { SpscByteRing } from './spscByteRing';
import type { SpscByteRingDescriptor } from './spscByteRing';
import { SpscRing } from './spscRing';
import type { SpscRingDescriptor } from './spscRing';

/** A native structure another thread can attach to. */
export type SharedStructure = SlabPool<RecordSchema> | SpscRing | SpscByteRing | QuoteBoard | ColumnStore;

/** Its descriptor: plain data with the SharedArrayBuffer, safe to post to another thread. */
export type SharedDescriptor =
  | SlabPoolDescriptor
  | SpscRingDescriptor
  | SpscByteRingDescriptor
  | QuoteBoardDescriptor
  | ColumnStoreDescriptor;

/** Named structures handed to one worker, e.g. `{ ticks: ring, board }`. */
export type SharedSet = Readonly<Record<string, SharedStructure>>;

/** What a worker started by `startWorker` receives as its `workerData`. */
export interface NativeWorkerData<T> {
  readonly shrivenqNative: 1;
  readonly shared: Readonly<Record<string, SharedDescriptor>>;
  readonly data: T;
}

/** The options `startWorker` passes to the Worker constructor. */
export interface WorkerOptionsLike {
  workerData: unknown;
  execArgv?: string[];
  name?: string;
}

/** A Worker constructor taking a file of type `F`: node:worker_threads' `Worker` is one (F = string | URL). */
export type WorkerConstructorLike<W, F> = new (filename: F, options: WorkerOptionsLike) => W;

/** Describes every structure of `set` for posting to another thread. Allocates; not for hot paths. */
export function describeAll(set: SharedSet): Readonly<Record<string, SharedDescriptor>> {
  const out: Record<string, SharedDescriptor> = {};
  for (const [name, structure] of Object.entries(set)) out[name] = structure.describe();
  return out;
}

/** Wraps one descriptor in a view of this thread's own. Allocates the views; once per thread. */
export function attach(descriptor: SharedDescriptor): SharedStructure {
  switch (descriptor.kind) {
    case 'slabPool':
      return SlabPool.attach(descriptor);
    case 'spscRing':
      return SpscRing.attach(descriptor);
    case 'spscByteRing':
      return SpscByteRing.attach(descriptor);
    case 'quoteBoard':
      return QuoteBoard.attach(descriptor);
    case 'columnStore':
      return ColumnStore.attach(descriptor);
  }
}

/**
 * The structures a thread attached, looked up by name and kind. Each getter checks at run time
 * that the name exists and holds that kind (and, for pools, that schema), and throws otherwise,
 * so a worker that expects a ring cannot silently get a board.
 */
export class AttachedSet {
  constructor(private readonly structures: ReadonlyMap<string, SharedStructure>) {}

  /** Names attached. */
  get names(): readonly string[] {
    return [...this.structures.keys()];
  }

  /** The fixed-record ring called `name`. */
  ring(name: string): SpscRing {
    const s = this.get(name);
    if (s instanceof SpscRing) return s;
    throw wrongKind(name, s, 'SpscRing');
  }

  /** The byte ring called `name`. */
  byteRing(name: string): SpscByteRing {
    const s = this.get(name);
    if (s instanceof SpscByteRing) return s;
    throw wrongKind(name, s, 'SpscByteRing');
  }

  /** The quote board called `name`. */
  board(name: string): QuoteBoard {
    const s = this.get(name);
    if (s instanceof QuoteBoard) return s;
    throw wrongKind(name, s, 'QuoteBoard');
  }

  /** The column store called `name`. */
  columns(name: string): ColumnStore {
    const s = this.get(name);
    if (s instanceof ColumnStore) return s;
    throw wrongKind(name, s, 'ColumnStore');
  }

  /** The pool called `name`, whose schema must equal `schema` field for field. */
  pool<S extends RecordSchema>(name: string, schema: S): SlabPool<S> {
    const s = this.get(name);
    if (!(s instanceof SlabPool)) throw wrongKind(name, s, 'SlabPool');
    const d = s.describe();
    const have = Object.entries(d.schema);
    const want = Object.entries(schema);
    if (
      have.length !== want.length ||
      have.some(([k, t], i) => {
        const w = want[i];
        return w === undefined || w[0] !== k || w[1] !== t;
      })
    ) {
      throw new TypeError(
        `pool '${name}' has schema ${JSON.stringify(d.schema)}, not ${JSON.stringify(schema)}`,
      );
    }
    // The schema was just checked field for field, so the view is a SlabPool<S>.
    return s as SlabPool<S>;
  }

  private get(name: string): SharedStructure {
    const s = this.structures.get(name);
    if (s === undefined) throw new TypeError(`no shared structure named '${name}'`);
    return s;
  }
}

function wrongKind(name: string, s: SharedStructure, wanted: string): TypeError {
  return new TypeError(`shared structure '${name}' is a ${s.constructor.name}, not a ${wanted}`);
}

/** Wraps every descriptor of a set described on another thread. Allocates; once per thread. */
export function attachAll(descriptors: Readonly<Record<string, SharedDescriptor>>): AttachedSet {
  const out = new Map<string, SharedStructure>();
  for (const [name, descriptor] of Object.entries(descriptors)) out.set(name, attach(descriptor));
  return new AttachedSet(out);
}

/**
 * Starts a worker thread with `shared` attached on its side and `data` (structured-cloned) beside
 * it; the worker calls `openWorkerData(workerData)`. `execArgv` goes to the Worker constructor
 * (e.g. `['--require', 'tsx/cjs']` to run a .ts file under Node). Allocates; not for hot paths.
 */
export function startWorker<W, F>(
  WorkerClass: WorkerConstructorLike<W, F>,
  file: F,
  shared: SharedSet,
  data: unknown,
  options: { readonly execArgv?: readonly string[]; readonly name?: string } = {},
): W {
  const workerData: NativeWorkerData<unknown> = { shrivenqNative: 1, shared: describeAll(shared), data };
  const workerOptions: WorkerOptionsLike = { workerData };
  if (options.execArgv !== undefined) workerOptions.execArgv = [...options.execArgv];
  if (options.name !== undefined) workerOptions.name = options.name;
  return new WorkerClass(file, workerOptions);
}

/**
 * Worker side of `startWorker`: attaches the structures and returns them with the data, which the
 * worker validates or narrows itself. Throws if `workerData` did not come from `startWorker`.
 * Allocates; once, at the worker's start.
 */
export function openWorkerData(workerData: unknown): {
  readonly shared: AttachedSet;
  readonly data: unknown;
} {
  if (typeof workerData !== 'object' || workerData === null || !('shrivenqNative' in workerData)) {
    throw new TypeError('workerData was not made by startWorker');
  }
  const d = workerData as NativeWorkerData<unknown>;
  return { shared: attachAll(d.shared), data: d.data };
}

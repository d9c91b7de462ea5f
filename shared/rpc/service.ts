import type { z } from 'zod';
import type { Disposable } from '../disposable';

/** A request method of a service: params in, one result out. */
export interface RequestDef<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  /** Validates what the caller sends; the engine refuses anything else with INVALID_PARAMS. */
  readonly params: P;
  /** The result's shape (documentation and type; results are trusted, not re-validated). */
  readonly result: R;
  /** How long a caller waits before TIMEOUT; defaults to the client's default. */
  readonly timeoutMs?: number;
}

/**
 * Conflation of a stream at the source: of the events produced within `intervalMs`, only the latest
 * per `key` is sent, at most once per interval, so a slow client never builds a queue.
 */
export interface Conflation<E> {
  readonly intervalMs: number;
  key(event: E): string;
}

/** A stream of a service: subscribe with params, receive events until disposed. */
export interface StreamDef<P extends z.ZodType = z.ZodType, E extends z.ZodType = z.ZodType> {
  readonly params: P;
  readonly event: E;
  readonly conflate?: Conflation<z.infer<E>>;
}

/** Stream member names follow VS Code's convention: `onStatus`, `onQuotes`. */
export type StreamName = `on${Capitalize<string>}`;

/** The definition of a service: its name on the wire, its requests and its streams. */
export interface ServiceDef<
  N extends string = string,
  Q extends Record<string, RequestDef> = Record<string, RequestDef>,
  S extends Record<StreamName, StreamDef> = Record<StreamName, StreamDef>,
> {
  readonly name: N;
  readonly requests: Q;
  readonly streams: S;
}

/** Defines a service. `name` and member names must be alphanumeric (they become `name.member`). */
export function defineService<
  const N extends string,
  const Q extends Record<string, RequestDef>,
  const S extends Record<StreamName, StreamDef>,
>(name: N, requests: Q, streams: S): ServiceDef<N, Q, S> {
  return { name, requests, streams };
}

/** A listener of a stream's events. */
export type Listener<E> = (event: E) => void;

type RequestFn<D extends RequestDef> =
  undefined extends z.input<D['params']>
    ? (params?: z.input<D['params']>) => Promise<z.output<D['result']>>
    : (params: z.input<D['params']>) => Promise<z.output<D['result']>>;

type StreamFn<D extends StreamDef> =
  undefined extends z.input<D['params']>
    ? (listener: Listener<z.output<D['event']>>, params?: z.input<D['params']>) => Disposable
    : (listener: Listener<z.output<D['event']>>, params: z.input<D['params']>) => Disposable;

/**
 * The TypeScript interface of a service: a promise-returning method per request and an `onXxx`
 * subscribe function per stream. The engine implements it; `toService` gives callers a proxy.
 */
export type ServiceOf<D extends ServiceDef> = {
  readonly [K in keyof D['requests']]: D['requests'][K] extends RequestDef
    ? RequestFn<D['requests'][K]>
    : never;
} & {
  readonly [K in keyof D['streams']]: D['streams'][K] extends StreamDef ? StreamFn<D['streams'][K]> : never;
};

/** `onStatus` -> `status`: the stream's name on the wire. */
export function wireStreamName(member: string): string {
  const bare = member.slice(2);
  return bare.charAt(0).toLowerCase() + bare.slice(1);
}

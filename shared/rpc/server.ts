import type { z } from 'zod';
import { DisposableStore, toDisposable } from '../disposable';
import type { Disposable } from '../disposable';
import { RpcError } from './errors';
import { encodeFrame, parseClientFrame } from './frames';
import type { ServerFrame } from './frames';
import { StreamOutbox } from './outbox';
import type { Port } from './port';
import { wireStreamName } from './service';
import type { Conflation, ServiceDef, ServiceOf, StreamDef } from './service';
import { realTimers } from './timers';
import type { Timers } from './timers';

/**
 * A service as the server side sees it: named members that validate their params and then call
 * the implementation. Made by `fromService`, served on ports by `serveConnection`.
 */
export interface ServiceChannel {
  readonly name: string;
  /** Calls `method` with `params`. Rejects with INVALID_PARAMS or UNKNOWN_METHOD before calling. */
  call(method: string, params: unknown): Promise<unknown>;
  /** Opens `stream`. Throws INVALID_PARAMS or UNKNOWN_METHOD before opening. */
  listen(stream: string, params: unknown, emit: (event: unknown) => void): Disposable;
  /** How `stream` is conflated, if at all. */
  conflation(stream: string): Conflation<unknown> | undefined;
}

function validate(schema: z.ZodType, params: unknown, member: string): unknown {
  const parsed = schema.safeParse(params);
  if (parsed.success) return parsed.data;
  throw new RpcError('INVALID_PARAMS', `invalid params for ${member}`, {
    issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
  });
}

function own(record: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

/** Turns an implementation of a service into a channel that validates every inbound message. */
export function fromService<D extends ServiceDef>(def: D, impl: ServiceOf<D>): ServiceChannel {
  const streamsByWireName = new Map<string, { member: string; def: StreamDef }>();
  for (const [member, streamDef] of Object.entries<StreamDef>(def.streams)) {
    streamsByWireName.set(wireStreamName(member), { member, def: streamDef });
  }
  const members = impl as unknown as Record<string, (...args: unknown[]) => unknown>;

  return {
    name: def.name,
    async call(method, params) {
      if (!own(def.requests, method)) throw new RpcError('UNKNOWN_METHOD', `no method ${def.name}.${method}`);
      const requestDef = def.requests[method];
      const fn = members[method];
      if (requestDef === undefined || typeof fn !== 'function') {
        throw new RpcError('UNKNOWN_METHOD', `no method ${def.name}.${method}`);
      }
      const valid = validate(requestDef.params, params, `${def.name}.${method}`);
      return await fn.call(impl, valid);
    },
    listen(stream, params, emit) {
      const entry = streamsByWireName.get(stream);
      const fn = entry === undefined ? undefined : members[entry.member];
      if (entry === undefined || typeof fn !== 'function') {
        throw new RpcError('UNKNOWN_METHOD', `no stream ${def.name}.${stream}`);
      }
      const valid = validate(entry.def.params, params, `${def.name}.${stream}`);
      const listening = fn.call(impl, emit, valid) as Disposable;
      return listening;
    },
    conflation(stream) {
      return streamsByWireName.get(stream)?.def.conflate;
    },
  };
}

export interface ServeOptions {
  /** Requests being worked on at once per connection before LIMIT_EXCEEDED. */
  readonly maxPendingRequests?: number;
  /** Open streams per connection before LIMIT_EXCEEDED. */
  readonly maxSubscriptions?: number;
  readonly timers?: Timers;
  /** Told about every frame refused as unreadable (for the engine's log and health). */
  readonly onBadFrame?: (error: RpcError) => void;
}

/**
 * Serves `channels` on one connection until the port closes or the returned Disposable is disposed.
 * Unreadable frames, unknown members and invalid params are answered with typed errors and change
 * nothing; the connection stays open. When the port closes, every stream is disposed.
 */
export function serveConnection(
  port: Port,
  channels: readonly ServiceChannel[],
  options: ServeOptions = {},
): Disposable {
  const byName = new Map(channels.map((c) => [c.name, c]));
  const maxPending = options.maxPendingRequests ?? 1024;
  const maxSubscriptions = options.maxSubscriptions ?? 256;
  const timers = options.timers ?? realTimers;
  const subscriptions = new Map<number, Disposable>();
  const store = new DisposableStore();
  let pending = 0;

  const send = (frame: ServerFrame): void => {
    if (port.isClosed) return;
    let data: unknown;
    try {
      data = encodeFrame(port, frame);
    } catch (e) {
      // A result that cannot be encoded (a BigInt, a cycle) is a bug in the service: say so.
      if (frame.type === 'error') return;
      const error = new RpcError('INTERNAL', `could not encode ${frame.type}: ${RpcError.from(e).message}`);
      data = encodeFrame(port, { type: 'error', id: frame.id, error: error.toData() });
    }
    port.send(data);
  };

  const resolve = (qualified: string): [ServiceChannel, string] => {
    const dot = qualified.indexOf('.');
    const channel = byName.get(qualified.slice(0, dot));
    if (channel === undefined) throw new RpcError('UNKNOWN_METHOD', `no service ${qualified.slice(0, dot)}`);
    return [channel, qualified.slice(dot + 1)];
  };

  const onRequest = async (id: number, method: string, params: unknown): Promise<void> => {
    if (pending >= maxPending) {
      throw new RpcError('LIMIT_EXCEEDED', `more than ${maxPending} requests pending on this connection`);
    }
    pending++;
    try {
      const [channel, member] = resolve(method);
      const result = await channel.call(member, params);
      send({ type: 'result', id, result: result ?? null });
    } finally {
      pending--;
    }
  };

  const onSubscribe = (id: number, stream: string, params: unknown): void => {
    if (subscriptions.has(id)) throw new RpcError('BAD_FRAME', `stream id ${id} is already open`);
    if (subscriptions.size >= maxSubscriptions) {
      throw new RpcError('LIMIT_EXCEEDED', `more than ${maxSubscriptions} streams open on this connection`);
    }
    const [channel, member] = resolve(stream);
    const outbox = new StreamOutbox(
      (events) => {
        send({ type: 'events', id, events });
      },
      timers,
      channel.conflation(member),
    );
    const listening = channel.listen(member, params, (event) => {
      outbox.push(event);
    });
    subscriptions.set(id, {
      dispose() {
        outbox.dispose();
        listening.dispose();
      },
    });
  };

  const fail = (id: number | null, e: unknown, asEnd: boolean): void => {
    const error = RpcError.from(e).toData();
    if (asEnd && id !== null) send({ type: 'end', id, error });
    else send({ type: 'error', id, error });
  };

  store.add(
    port.onMessage((data) => {
      let frame;
      try {
        frame = parseClientFrame(data);
      } catch (e) {
        const error = RpcError.from(e);
        options.onBadFrame?.(error);
        const details = error.details as { id?: unknown } | undefined;
        fail(typeof details?.id === 'number' ? details.id : null, error, false);
        return;
      }
      switch (frame.type) {
        case 'request':
          onRequest(frame.id, frame.method, frame.params).catch((e: unknown) => {
            fail(frame.id, e, false);
          });
          return;
        case 'subscribe':
          try {
            onSubscribe(frame.id, frame.stream, frame.params);
          } catch (e) {
            fail(frame.id, e, true);
          }
          return;
        case 'unsubscribe':
          subscriptions.get(frame.id)?.dispose();
          subscriptions.delete(frame.id);
          return;
      }
    }),
  );
  store.add(
    toDisposable(() => {
      for (const s of subscriptions.values()) s.dispose();
      subscriptions.clear();
    }),
  );
  store.add(
    port.onClose(() => {
      store.dispose();
    }),
  );
  return store;
}

import { z } from 'zod';
import { RpcError } from './errors';
import type { RpcErrorData } from './errors';
import type { Port } from './port';

/**
 * The frames of the ShrivenQ RPC protocol. The same frames travel over every transport; over a
 * WebSocket each is one JSON text message. Documented for script authors in shared/rpc/PROTOCOL.md.
 */

/** Largest frame accepted, in UTF-16 code units of its JSON text (about 1 MiB of ASCII). */
export const MAX_FRAME_CHARS = 1 << 20;

/** Client -> engine: call a method; answered by one `result` or `error` frame with the same id. */
export interface RequestFrame {
  readonly type: 'request';
  readonly id: number;
  /** `service.method`, e.g. `system.info`. */
  readonly method: string;
  readonly params?: unknown;
}

/** Client -> engine: open a stream; answered by `events` frames, and `end` if it stops. */
export interface SubscribeFrame {
  readonly type: 'subscribe';
  readonly id: number;
  /** `service.stream`, e.g. `system.status` (the `onStatus` member of the system service). */
  readonly stream: string;
  readonly params?: unknown;
}

/** Client -> engine: close the stream opened with this id. */
export interface UnsubscribeFrame {
  readonly type: 'unsubscribe';
  readonly id: number;
}

export type ClientFrame = RequestFrame | SubscribeFrame | UnsubscribeFrame;

export interface ResultFrame {
  readonly type: 'result';
  readonly id: number;
  readonly result: unknown;
}

/** A failed request or a frame that could not be read (then `id` is null). */
export interface ErrorFrame {
  readonly type: 'error';
  readonly id: number | null;
  readonly error: RpcErrorData;
}

/** One or more events of a stream, oldest first (several when batched or conflated). */
export interface EventsFrame {
  readonly type: 'events';
  readonly id: number;
  readonly events: readonly unknown[];
}

/** The engine closed a stream: refused at subscribe (with `error`) or ended by the service. */
export interface EndFrame {
  readonly type: 'end';
  readonly id: number;
  readonly error?: RpcErrorData;
}

export type ServerFrame = ResultFrame | ErrorFrame | EventsFrame | EndFrame;

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const name = z
  .string()
  .max(128)
  .regex(/^[a-zA-Z][a-zA-Z0-9]*\.[a-zA-Z][a-zA-Z0-9]*$/, 'expected "service.member"');

const clientFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('request'), id, method: name, params: z.unknown().optional() }).strict(),
  z.object({ type: z.literal('subscribe'), id, stream: name, params: z.unknown().optional() }).strict(),
  z.object({ type: z.literal('unsubscribe'), id }).strict(),
]);

const errorData = z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() });
const serverFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id, result: z.unknown() }),
  z.object({ type: z.literal('error'), id: id.nullable(), error: errorData }),
  z.object({ type: z.literal('events'), id, events: z.array(z.unknown()) }),
  z.object({ type: z.literal('end'), id, error: errorData.optional() }),
]);

/** Reads raw transport data into an object: parses JSON text, refusing oversized text. */
function decode(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  if (data.length > MAX_FRAME_CHARS) {
    throw new RpcError('FRAME_TOO_LARGE', `frame of ${data.length} characters exceeds ${MAX_FRAME_CHARS}`);
  }
  try {
    return JSON.parse(data) as unknown;
  } catch {
    throw new RpcError('BAD_FRAME', 'frame is not valid JSON');
  }
}

/**
 * Parses what a client sent. Throws RpcError (BAD_FRAME, FRAME_TOO_LARGE); the `id` of the frame,
 * when it could be read, is in `details.id` so the error can be addressed to it.
 */
export function parseClientFrame(data: unknown): ClientFrame {
  const raw = decode(data);
  const parsed = clientFrameSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const rawId = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  throw new RpcError('BAD_FRAME', 'not a ShrivenQ RPC frame (see shared/rpc/PROTOCOL.md)', {
    id: id.safeParse(rawId).success ? rawId : null,
    issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
  });
}

/** Parses what the engine sent. Throws RpcError BAD_FRAME. */
export function parseServerFrame(data: unknown): ServerFrame {
  const parsed = serverFrameSchema.safeParse(decode(data));
  if (!parsed.success) throw new RpcError('BAD_FRAME', 'malformed frame from the engine');
  return parsed.data as ServerFrame;
}

/** Encodes a frame for a port: JSON text for 'json' ports, the object itself otherwise. */
export function encodeFrame(port: Port, frame: ClientFrame | ServerFrame): unknown {
  return port.encoding === 'json' ? JSON.stringify(frame) : frame;
}

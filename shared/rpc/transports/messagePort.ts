import { createPort } from '../port';
import type { Port } from '../port';

/**
 * The parts of a DOM MessagePort (renderer) used here. Structural, so shared/ needs no DOM types.
 * Method syntax on purpose: it lets the DOM's own MessagePort type match.
 */
export interface DomMessagePortLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
  start(): void;
  close(): void;
}

/** The parts of Electron's MessagePortMain (main, utility process) used here. */
export interface MessagePortMainLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { readonly data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

/**
 * A Port over a DOM MessagePort. Chromium fires "close" on a MessagePort whose other end went away
 * only in recent versions, so callers also watch liveness (see ReconnectingClient).
 */
export function fromDomMessagePort(mp: DomMessagePortLike): Port {
  const controller = createPort(
    'structured',
    (data) => {
      mp.postMessage(data);
    },
    () => {
      mp.close();
    },
  );
  mp.addEventListener('message', (event) => {
    controller.deliver(event.data);
  });
  mp.addEventListener('close', () => {
    controller.closed('port closed');
  });
  mp.start();
  return controller.port;
}

/** A Port over Electron's MessagePortMain (an EventEmitter). */
export function fromMessagePortMain(mp: MessagePortMainLike): Port {
  const controller = createPort(
    'structured',
    (data) => {
      mp.postMessage(data);
    },
    () => {
      mp.close();
    },
  );
  mp.on('message', (event) => {
    controller.deliver(event.data);
  });
  mp.on('close', () => {
    controller.closed('port closed');
  });
  mp.start();
  return controller.port;
}

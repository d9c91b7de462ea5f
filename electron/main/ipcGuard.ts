import { validateSender } from './security/sender';
import type { FrameLike, IpcMainEventLike, IpcMainLike } from './electronLike';

/** Why an IPC message was refused. */
export type IpcRefusal = 'no-frame' | 'subframe' | 'foreign-origin';

/** Null if `frame` may talk to main: a top-level frame of one of our origins. */
export function refuseSender(frame: FrameLike | null, allowedOrigins: readonly string[]): IpcRefusal | null {
  if (frame === null) return 'no-frame';
  if (frame.parent !== null) return 'subframe';
  return validateSender(frame.url, allowedOrigins) ? null : 'foreign-origin';
}

/**
 * The only way main registers an ipcMain listener or handler: each runs after the sender check,
 * which reads `event.senderFrame` synchronously before anything else (it turns null once the frame
 * navigates). A refused `on` message is dropped; a refused `handle` call rejects.
 */
export class GuardedIpc {
  private readonly registered: string[] = [];

  constructor(
    private readonly ipcMain: IpcMainLike,
    private readonly allowedOrigins: readonly string[],
    private readonly onRefused: (channel: string, why: IpcRefusal) => void,
  ) {}

  /** Channels registered so far (tests enumerate them). */
  get channels(): readonly string[] {
    return this.registered;
  }

  on(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => void): void {
    this.registered.push(channel);
    this.ipcMain.on(channel, (event, ...args) => {
      const why = refuseSender(event.senderFrame, this.allowedOrigins);
      if (why !== null) {
        this.onRefused(channel, why);
        return;
      }
      listener(event, ...args);
    });
  }

  handle(channel: string, handler: (event: IpcMainEventLike, ...args: unknown[]) => unknown): void {
    this.registered.push(channel);
    this.ipcMain.handle(channel, (event, ...args) => {
      const why = refuseSender(event.senderFrame, this.allowedOrigins);
      if (why !== null) {
        this.onRefused(channel, why);
        throw new Error(`ipc ${channel} refused: ${why}`);
      }
      return handler(event, ...args);
    });
  }
}

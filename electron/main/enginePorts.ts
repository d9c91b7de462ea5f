import { IPC_ENGINE_PORT } from '../../shared/electronBridge';
import type { EngineConnectMessage } from '../../shared/electronBridge';
import type { MessageChannelLike, UtilityProcessLike, WebContentsLike } from './electronLike';

/**
 * Gives one window a direct line to the engine: a fresh MessageChannelMain, port1 to the engine with
 * `{type:'connect'}`, port2 to the window's preload. Main is never on the data path after this.
 * The window drops any older port when a new one arrives.
 */
export function connectWindowToEngine(
  engine: UtilityProcessLike,
  contents: WebContentsLike,
  createChannel: () => MessageChannelLike,
): void {
  if (contents.isDestroyed()) return;
  const { port1, port2 } = createChannel();
  const message: EngineConnectMessage = { type: 'connect', client: `window:${contents.id}` };
  engine.postMessage(message, [port1]);
  contents.postMessage(IPC_ENGINE_PORT, null, [port2]);
}

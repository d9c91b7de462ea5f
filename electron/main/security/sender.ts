import { hasAllowedOrigin } from './origins';

/**
 * Whether an IPC message may be acted on, given the URL of the frame that sent it. A null frame (it
 * navigated away or was destroyed before the handler looked) is rejected: we cannot know who sent it.
 */
export function validateSender(frameUrl: string | null, allowedOrigins: readonly string[]): boolean {
  return frameUrl !== null && hasAllowedOrigin(frameUrl, allowedOrigins);
}

import { hasAllowedOrigin } from './origins';

/**
 * Web permissions our own pages get. A trading terminal needs none of camera, microphone, location,
 * notifications, MIDI, HID, serial, USB and the rest; writing plain text to the clipboard (copy an
 * order id) is the one convenience allowed, and only to our own origin.
 */
const GRANTED_TO_OWN_ORIGIN: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/**
 * Whether to grant `permission` to the page at `requester` (a URL or an origin string, as Electron's
 * request and check handlers give them). Everything is denied unless listed above.
 */
export function permissionDecision(
  permission: string,
  requester: string | undefined,
  allowedOrigins: readonly string[],
): boolean {
  return (
    GRANTED_TO_OWN_ORIGIN.has(permission) &&
    requester !== undefined &&
    hasAllowedOrigin(requester, allowedOrigins)
  );
}

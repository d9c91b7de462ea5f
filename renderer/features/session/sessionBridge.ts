import { DisposableStore } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import type { ServiceOf } from '../../../shared/rpc/service';
import type { sessionService } from '../../../shared/services/session';
import type { EngineLink } from '../market';
import type { SessionStore } from './sessionStore';

/** Keeps `store` on the engine's session state: fetched on every connection, then streamed. */
export function startSessionBridge(
  session: Pick<ServiceOf<typeof sessionService>, 'state' | 'onState'>,
  link: EngineLink,
  store: SessionStore,
): Disposable {
  const owned = new DisposableStore();
  const fetch = (): void => {
    if (!link.isConnected()) return;
    session.state().then(
      (s) => {
        store.getState().sessionReceived(s);
      },
      () => undefined, // An engine without the session service yet: the indicator stays blank.
    );
  };
  owned.add(
    session.onState((s) => {
      store.getState().sessionReceived(s);
    }),
  );
  owned.add(link.onConnected(fetch));
  fetch();
  return owned;
}

import './layoutMenu.css';
import { useStore } from 'zustand';
import { panelIds, placePanel } from './layoutModel';
import { layoutNames } from './layoutStore';
import type { LayoutState, LayoutStore } from './layoutStore';
import { presetNamed } from './presets';

const selectName = (s: LayoutState) => s.name;
const selectSaved = (s: LayoutState) => s.saved;
const selectTree = (s: LayoutState) => s.tree;

export interface LayoutMenuProps {
  readonly store: LayoutStore;
  /** Every panel the window has, id and title, in the order the Panels list offers them. */
  readonly panels: readonly { readonly id: string; readonly title: string }[];
  /** Asks for a name (window.prompt; injected in tests); undefined or '' cancels. */
  readonly ask?: (question: string, suggestion: string) => string | null | undefined;
}

/**
 * The top bar's layout controls: the layout in use (presets and the user's own), a panel to add
 * back (one closed earlier), Save as, and Reset (back to the preset's own arrangement).
 */
export function LayoutMenu({ store, panels, ask }: LayoutMenuProps) {
  const name = useStore(store, selectName);
  const saved = useStore(store, selectSaved);
  const tree = useStore(store, selectTree);
  const names = layoutNames({ saved });
  const present = new Set(panelIds(tree));
  const missing = panels.filter((p) => !present.has(p.id));
  const changed = presetNamed(name) !== undefined && saved[name] !== undefined;
  return (
    <div className="layout-menu" role="group" aria-label="Layout">
      <label className="layout-menu__label" htmlFor="layout-preset">
        Layout
      </label>
      <select
        id="layout-preset"
        className="layout-menu__select"
        data-testid="layout-preset"
        value={name}
        onChange={(e) => {
          store.getState().choose(e.target.value);
        }}
      >
        {names.map((n) => (
          <option key={n.name} value={n.name}>
            {n.label}
            {n.name === name && changed ? ' (changed)' : ''}
          </option>
        ))}
      </select>
      <select
        className="layout-menu__select"
        aria-label="Add a panel"
        data-testid="layout-add-panel"
        value=""
        disabled={missing.length === 0}
        onChange={(e) => {
          const id = e.target.value;
          if (id === '') return;
          const s = store.getState();
          s.change(placePanel(s.tree, id, { kind: 'edge', zone: 'right' }));
          s.requestFocus(id);
        }}
      >
        <option value="">{missing.length === 0 ? 'All panels shown' : 'Add panel…'}</option>
        {missing.map((p) => (
          <option key={p.id} value={p.id}>
            {p.title}
          </option>
        ))}
      </select>
      {ask === undefined ? null : (
        <button
          type="button"
          className="btn layout-menu__button"
          data-testid="layout-save-as"
          title="Keep this arrangement under a name of its own"
          onClick={() => {
            const answer = ask('Save this layout as:', name === 'default' ? 'My layout' : `${name} copy`);
            if (answer !== null && answer !== undefined && answer.trim() !== '')
              store.getState().saveAs(answer);
          }}
        >
          Save as…
        </button>
      )}
      <button
        type="button"
        className="btn layout-menu__button"
        data-testid="layout-reset"
        disabled={!changed}
        title="Back to the built-in arrangement of this layout"
        onClick={() => {
          store.getState().reset();
        }}
      >
        Reset
      </button>
    </div>
  );
}

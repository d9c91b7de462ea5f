import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The theme's rule (theme.css): every colour is a variable defined there, once per theme, so the
// light theme reaches every panel. These read the renderer's style sheets and scripts as text.

const RENDERER = join(import.meta.dirname, '..');
const THEME = join(RENDERER, 'styles', 'theme.css');

function filesUnder(dir: string, ends: readonly string[]): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && ends.some((x) => e.name.endsWith(x)) && !e.name.includes('.test.'))
    .map((e) => join(e.parentPath, e.name));
}

const RAW_COLOUR = /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?)\(|:\s*(?:white|black)\s*;/i;

/** The custom properties a text declares (`--name:`). */
const declared = (text: string): string[] => [...text.matchAll(/(--[a-z0-9-]+)\s*:/g)].map((m) => m[1] ?? '');

describe('the theme', () => {
  it('keeps raw colours in theme.css alone', () => {
    const offenders = filesUnder(RENDERER, ['.css'])
      .filter((f) => f !== THEME)
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .flatMap((line, i) =>
            RAW_COLOUR.test(line) ? [`${relative(RENDERER, f)}:${i + 1}: ${line.trim()}`] : [],
          ),
      );
    expect(offenders).toEqual([]);
  });

  it('defines every variable the style sheets and the chart read', () => {
    const sheets = filesUnder(RENDERER, ['.css']).map((f) => readFileSync(f, 'utf8'));
    const scripts = filesUnder(RENDERER, ['.ts', '.tsx']).map((f) => readFileSync(f, 'utf8'));
    const defined = new Set(sheets.flatMap(declared));
    // Set from script (style={{ '--x': … }} or setProperty) count as defined too.
    for (const s of scripts)
      for (const m of s.matchAll(/['"](--[a-z0-9-]+)['"]\s*[:,]/g)) defined.add(m[1] ?? '');
    const used = new Set(
      [...sheets, ...scripts].flatMap((t) =>
        [...t.matchAll(/var\((--[a-z0-9-]+)|\bv\('(--[a-z0-9-]+)'/g)].map((m) => m[1] ?? m[2] ?? ''),
      ),
    );
    expect([...used].filter((name) => !defined.has(name)).sort()).toEqual([]);
  });

  it('gives the light theme a value for every colour the dark theme sets in a colour', () => {
    const theme = readFileSync(THEME, 'utf8');
    const light = theme.slice(theme.indexOf(":root[data-theme='light']"));
    const dark = theme.slice(0, theme.indexOf(":root[data-theme='light']"));
    const darkColours = [...dark.matchAll(/(--[a-z0-9-]+)\s*:\s*(#[0-9a-f]{3,8}|rgba?\([^)]*\))/gi)].map(
      (m) => m[1] ?? '',
    );
    const lightNames = new Set(declared(light));
    // Ink on a filled accent is white (or near black on amber) in both themes.
    const same = new Set(['--on-accent', '--on-accent-muted', '--on-accent-line', '--on-warn']);
    expect(darkColours.filter((n) => !lightNames.has(n) && !same.has(n))).toEqual([]);
  });
});

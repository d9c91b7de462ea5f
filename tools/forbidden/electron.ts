// A per-layer tsconfig maps `electron` here in every layer that must not import it (ARCHITECTURE.md:
// only electron/main and electron/preload may). Type-checking this file fails on purpose, so an
// `import ... from 'electron'` in such a layer fails `npm run typecheck` with the message below.
const importingElectronIsForbiddenInThisLayer: 'only electron/main and electron/preload may import electron (ARCHITECTURE.md)' =
  'forbidden';
export { importingElectronIsForbiddenInThisLayer };

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

/**
 * Build layout:
 *   out/main/index.js      Electron main process (ESM: package.json has "type": "module")
 *   out/main/serve.js      the headless node, run by plain Node from bin/tickr.js
 *   out/main/spawner-host.cjs  the job spawner, the desktop app's utility process
 *   out/preload/index.cjs  the preload, one self-contained CommonJS file
 *   out/renderer/          the React UI, loaded by the window and served by `tickr serve`
 */

// Paths are anchored to this file, not to the working directory the build was started from.
const fromRoot = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/**
 * Fails the build when the `serve` entry reaches 'electron', directly or through a shared chunk.
 * `tickr serve` runs under plain Node, where importing electron yields a path string (or tries
 * to download a binary), so the mistake must surface here rather than at a user's start-up.
 */
function serveEntryWithoutElectron(): Plugin {
  return {
    name: 'tickr:serve-entry-without-electron',
    apply: 'build',
    generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find((o) => o.type === 'chunk' && o.isEntry && o.name === 'serve');
      if (entry === undefined || entry.type !== 'chunk') return;
      const seen = new Set<string>();
      const pending: string[] = [entry.fileName];
      while (pending.length > 0) {
        const fileName = pending.pop() as string;
        if (seen.has(fileName)) continue;
        seen.add(fileName);
        const chunk = bundle[fileName];
        if (chunk === undefined || chunk.type !== 'chunk') continue;
        for (const id of [...chunk.imports, ...chunk.dynamicImports]) {
          if (id === 'electron' || id.startsWith('electron/')) {
            this.error(`out/main/serve.js must not import electron, but ${fileName} imports '${id}'`);
          }
          pending.push(id);
        }
      }
    },
  };
}

/**
 * Emits the job spawner's script as out/main/spawner-host.cjs: the desktop app runs it as an
 * Electron utility process (src/main/app/utility-spawner.ts), which takes a file. Packed, it is
 * inside app.asar, under the asar integrity check like the rest of the app's code. The engine
 * inlines the same file for `node -e`.
 */
function spawnerHostFile(): Plugin {
  const source = fromRoot('src/main/engine/execution/workers/spawner/host.cjs');
  return {
    name: 'tickr:spawner-host-file',
    apply: 'build',
    buildStart() {
      this.addWatchFile(source);
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'spawner-host.cjs', source: readFileSync(source, 'utf8') });
    },
  };
}

export default defineConfig({
  main: {
    plugins: [serveEntryWithoutElectron(), spawnerHostFile()],
    build: {
      // Runtime dependencies (ioredis, mysql2, ws, zod …) stay in node_modules: both entries run
      // under Node (Electron's or plain), which resolves them normally.
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: fromRoot('src/main/index.ts'),
          serve: fromRoot('src/main/server/cli.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can only require('electron') (and a few polyfilled builtins), so
      // zod and src/shared must be bundled in rather than left as external imports.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: fromRoot('src/preload/index.ts') },
        output: {
          // A sandboxed preload is run as a classic script: it cannot be an ES module.
          format: 'cjs',
          entryFileNames: '[name].cjs',
          // One file, no chunks: the sandbox cannot load sibling files either.
          codeSplitting: false,
        },
      },
    },
  },
  renderer: {
    root: fromRoot('src/renderer'),
    plugins: [react()],
    build: {
      outDir: fromRoot('out/renderer'),
      rolldownOptions: {
        input: { index: fromRoot('src/renderer/index.html') },
      },
    },
  },
});

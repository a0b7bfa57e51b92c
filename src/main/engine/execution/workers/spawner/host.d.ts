/** The spawner's source, imported as text (Vite's `?raw`): run with `node -e`, or as an Electron utility process's script. */
declare module '*/host.cjs?raw' {
  const source: string;
  export default source;
}

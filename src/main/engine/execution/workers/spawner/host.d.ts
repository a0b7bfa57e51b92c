/** The spawner's source, imported as text (Vite's `?raw`) and run with `node -e`. */
declare module '*/host.cjs?raw' {
  const source: string;
  export default source;
}

declare module '*.lua?raw' {
  const source: string;
  export default source;
}

/** Vite's import.meta.glob, for queue/scripts.ts (the node tsconfig has no vite/client types). */
interface ImportMeta {
  glob<T>(pattern: string, options: { query: string; import: 'default'; eager: true }): Record<string, T>;
}

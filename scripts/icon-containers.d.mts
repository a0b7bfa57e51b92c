export function pngSize(png: Buffer): { width: number; height: number };
export const ICNS_TYPES: ReadonlyArray<readonly [string, number]>;
export function icns(pngs: ReadonlyMap<number, Buffer>): Buffer;
export const ICO_SIZES: readonly number[];
export function ico(pngs: ReadonlyMap<number, Buffer>): Buffer;

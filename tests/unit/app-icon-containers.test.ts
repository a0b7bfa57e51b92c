import { describe, expect, it } from 'vitest';
import { ICNS_TYPES, ICO_SIZES, icns, ico, pngSize } from '../../scripts/icon-containers.mjs';

/** The hand-written icns and ico containers, read back field by field. */

/** A stand-in PNG: the signature, an IHDR with the size, and a marker byte to find it again. */
function fakePng(size: number): Buffer {
  const png = Buffer.alloc(33);
  Buffer.from('89504e470d0a1a0a', 'hex').copy(png, 0);
  png.writeUInt32BE(13, 8);
  png.write('IHDR', 12, 'latin1');
  png.writeUInt32BE(size, 16);
  png.writeUInt32BE(size, 20);
  png.writeUInt8(size % 251, 32);
  return png;
}

const sizes = [...new Set([...ICO_SIZES, ...ICNS_TYPES.map(([, s]) => s)])];
const pngs = new Map(sizes.map((s) => [s, fakePng(s)]));

describe('icon containers', () => {
  it('reads a PNG size and refuses what is not a PNG', () => {
    expect(pngSize(fakePng(48))).toEqual({ width: 48, height: 48 });
    expect(() => pngSize(Buffer.from('GIF89a not a png at all....'))).toThrow(/not a PNG/);
  });

  it('writes an icns whose elements carry each type its PNG', () => {
    const file = icns(pngs);
    expect(file.toString('latin1', 0, 4)).toBe('icns');
    expect(file.readUInt32BE(4)).toBe(file.length);
    const seen: Array<[string, number]> = [];
    for (let at = 8; at < file.length;) {
      const type = file.toString('latin1', at, at + 4);
      const length = file.readUInt32BE(at + 4);
      seen.push([type, pngSize(file.subarray(at + 8, at + length)).width]);
      at += length;
    }
    expect(seen).toEqual(ICNS_TYPES.map(([type, size]) => [type, size]));
  });

  it('writes an ico whose entries point at their PNGs, 256 written as 0', () => {
    const file = ico(pngs);
    expect([file.readUInt16LE(0), file.readUInt16LE(2), file.readUInt16LE(4)]).toEqual([0, 1, ICO_SIZES.length]);
    ICO_SIZES.forEach((size, i) => {
      const entry = 6 + 16 * i;
      expect(file.readUInt8(entry)).toBe(size === 256 ? 0 : size);
      expect(file.readUInt16LE(entry + 6)).toBe(32);
      const length = file.readUInt32LE(entry + 8);
      const offset = file.readUInt32LE(entry + 12);
      expect(file.subarray(offset, offset + length)).toEqual(pngs.get(size));
    });
  });

  it('refuses a missing size, naming it', () => {
    const partial = new Map(pngs);
    partial.delete(24);
    expect(() => ico(partial)).toThrow(/24px/);
    partial.delete(1024);
    expect(() => icns(partial)).toThrow(/1024px PNG for the ic10/);
  });
});

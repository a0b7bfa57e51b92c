// The two icon containers electron-builder wants besides PNGs, written by hand because no
// installed tool makes them: both are a small header followed by the PNG files themselves.
// Only Node built-ins, so the generator needs nothing beyond playwright-core.

/** Reads a PNG's width and height from its IHDR chunk (bytes 16–23), refusing anything else. */
export function pngSize(png) {
  const signature = '89504e470d0a1a0a';
  if (
    png.length < 24 ||
    png.subarray(0, 8).toString('hex') !== signature ||
    png.toString('latin1', 12, 16) !== 'IHDR'
  ) {
    throw new Error('png: not a PNG file (bad signature or no IHDR chunk first)');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * Apple's icns element types that hold a PNG, by pixel size. Retina types (`ic11`–`ic14`) reuse
 * the next size up, so one PNG per size fills every slot macOS looks in.
 */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

/**
 * An .icns file: 'icns' + total length (big-endian), then per element its 4-character type,
 * its length including that 8-byte header, and the PNG. `pngs` maps a pixel size to its PNG.
 */
export function icns(pngs) {
  const elements = [];
  for (const [type, size] of ICNS_TYPES) {
    const png = pngs.get(size);
    if (png === undefined) throw new Error(`icns: no ${size}px PNG for the ${type} element`);
    const header = Buffer.alloc(8);
    header.write(type, 0, 'latin1');
    header.writeUInt32BE(8 + png.length, 4);
    elements.push(header, png);
  }
  const body = Buffer.concat(elements);
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'latin1');
  header.writeUInt32BE(8 + body.length, 4);
  return Buffer.concat([header, body]);
}

/** The sizes a Windows .ico carries: the shell picks 16–48 for lists, 256 for large views. */
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

/**
 * An .ico file with PNG-compressed entries (Vista and later): a 6-byte ICONDIR, a 16-byte entry
 * per image (width and height 0 meaning 256), then the PNGs. All little-endian.
 */
export function ico(pngs) {
  const images = ICO_SIZES.map((size) => {
    const png = pngs.get(size);
    if (png === undefined) throw new Error(`ico: no ${size}px PNG`);
    return { size, png };
  });
  const dir = Buffer.alloc(6);
  dir.writeUInt16LE(0, 0); // reserved
  dir.writeUInt16LE(1, 2); // 1 = icon (2 would be a cursor)
  dir.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2); // no palette
    entry.writeUInt8(0, 3); // reserved
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([dir, ...entries, ...images.map((i) => i.png)]);
}

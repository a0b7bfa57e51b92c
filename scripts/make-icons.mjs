#!/usr/bin/env node
// Regenerates the icon set in resources/ from resources/icon.svg: PNGs of every size (also the
// Linux icon folder electron-builder reads, resources/icons/NxN.png), icon.icns and icon.ico.
// The SVG is rasterised by headless Chromium (playwright-core; TICKR_E2E_CHROMIUM or
// /usr/bin/chromium), so the PNGs match what a browser draws. The output is committed: packaging
// does not need Chromium.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ICNS_TYPES, ICO_SIZES, icns, ico, pngSize } from './icon-containers.mjs';

const resources = fileURLToPath(new URL('../resources/', import.meta.url));
const svg = readFileSync(join(resources, 'icon.svg'), 'utf8');
const sizes = [
  ...new Set([16, 24, 32, 48, 64, 128, 256, 512, 1024, ...ICO_SIZES, ...ICNS_TYPES.map(([, s]) => s)]),
].sort((a, b) => a - b);

const browser = await chromium.launch({ executablePath: process.env.TICKR_E2E_CHROMIUM ?? '/usr/bin/chromium' });
const pngs = new Map();
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const size of sizes) {
    await page.setViewportSize({ width: size, height: size });
    const sized = svg.replace(/width="1024" height="1024"/, `width="${size}" height="${size}"`);
    await page.setContent(`<html><body style="margin:0;background:transparent">${sized}</body></html>`, {
      waitUntil: 'load',
    });
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    const { width, height } = pngSize(png);
    if (width !== size || height !== size) throw new Error(`${size}px icon came out ${width}×${height}`);
    pngs.set(size, png);
  }
} finally {
  await browser.close();
}

mkdirSync(join(resources, 'icons'), { recursive: true });
for (const [size, png] of pngs) writeFileSync(join(resources, 'icons', `${size}x${size}.png`), png);
writeFileSync(join(resources, 'icon.png'), pngs.get(1024));
writeFileSync(join(resources, 'icon.icns'), icns(pngs));
writeFileSync(join(resources, 'icon.ico'), ico(pngs));
console.log(`[icons] wrote ${pngs.size} PNGs, icon.png, icon.icns and icon.ico to ${resources}`);

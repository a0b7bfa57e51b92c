export interface AfterPackContext {
  appOutDir: string;
  electronPlatformName: string;
  /** electron-builder's Arch enum: 0 ia32, 1 x64, 2 armv7l, 3 arm64, 4 universal. */
  arch: number;
  packager: { appInfo: { productFilename: string }; executableName: string };
}
export const TICKR_FUSES: Readonly<Record<number, boolean>>;
export function electronBinary(context: AfterPackContext): string;
export default function afterPack(context: AfterPackContext): Promise<void>;

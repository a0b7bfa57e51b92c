export interface Decision {
  needed: boolean;
  reason: string;
}
export const BUILD_OUTPUTS: readonly string[];
export const BUILD_SOURCES: readonly string[];
export function installDecision(root: string): Decision;
export function buildDecision(root: string): Decision;
export function ensureSetUp(options: { root: string; label: string; build?: string; log?: (line: string) => void }): {
  installed: boolean;
  built: boolean;
};

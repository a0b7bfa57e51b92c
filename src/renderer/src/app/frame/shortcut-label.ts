/** How the command key is written on this machine: ⌘ on a Mac, Ctrl elsewhere (keyboard.ts accepts both). */
export function commandKeyLabel(userAgent: string = navigator.userAgent): string {
  return /Mac|iPhone|iPad/.test(userAgent) ? '⌘' : 'Ctrl';
}

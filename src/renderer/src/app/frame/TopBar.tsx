import { openPalette } from '../frame-actions';
import { HealthPills } from './HealthPills';
import { commandKeyLabel } from './shortcut-label';

/** The palette's button (for the mouse, and to show its shortcut) and the health, above every view. */
export function TopBar() {
  return (
    <header className="topbar">
      <button
        type="button"
        className="palette-button"
        aria-haspopup="dialog"
        aria-keyshortcuts="Control+K Meta+K"
        onClick={openPalette}
      >
        <span>Go to or run…</span>
        <kbd>{commandKeyLabel()} K</kbd>
      </button>
      <HealthPills />
    </header>
  );
}

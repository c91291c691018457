import type { ArmState } from './ArmState.js';
import { armErrors } from './armErrors.js';
import { lockScopeOf } from './armShapes.js';

/**
 * Refuses a delete when any lock applies at, above or below the scope, as ARM does (a lock on a
 * resource also protects its group from deletion).
 */
export function assertDeletable(state: ArmState, scope: string, displayScope: string): void {
  const key = scope.toLowerCase();
  const locks = [...state.locksAtOrAbove(key), ...state.locksBelow(key)];
  if (locks.length > 0) {
    throw armErrors.scopeLocked(displayScope, 'delete', unique(locks.map(lockScopeOf)));
  }
}

/** Refuses a write when a ReadOnly lock applies at or above the scope. */
export function assertWritable(state: ArmState, scope: string, displayScope: string): void {
  const locks = state.locksAtOrAbove(scope.toLowerCase()).filter((l) => l.level === 'ReadOnly');
  if (locks.length > 0) {
    throw armErrors.scopeLocked(displayScope, 'write', unique(locks.map(lockScopeOf)));
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

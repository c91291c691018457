const compiled = new Map<string, RegExp>();

// Whether a permission pattern from a role definition covers an operation, as ARM compares them:
// case-insensitively, with `*` standing for any run of characters, slashes included (`*`,
// `*/read`, `Microsoft.Compute/*`, `Microsoft.Authorization/*/Delete`).
//
// Example: actionMatches('Microsoft.Authorization/*/Write', 'Microsoft.Authorization/locks/write')
// is true.
export function actionMatches(pattern: string, action: string): boolean {
  let regex = compiled.get(pattern);
  if (!regex) {
    const source = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*');
    regex = new RegExp(`^${source}$`, 'i');
    compiled.set(pattern, regex);
  }
  return regex.test(action);
}

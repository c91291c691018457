import { NotFoundError } from '../../shared/apiErrors.js';

/**
 * No file of the page has this name (asset names carry a hash, so an old page asking for an
 * asset of an earlier deployment gets this too).
 *
 * @example
 * throw new WebAssetNotFoundError('main-ABCD1234.js'); // → 404
 */
export class WebAssetNotFoundError extends NotFoundError {
  constructor(readonly asset: string) {
    super(`No asset named '${asset}'.`, { code: 'AssetNotFound', title: 'Asset not found' });
  }
}

import type { HttpRequest } from '@azure/functions';
import { WebAssetNotFoundError } from '../../services/web/errors.js';
import type { WebAssets } from '../../services/web/WebAssets.js';
import { assetResponse } from '../../services/web/webResponses.js';
import {
  type PublicHttpFunction,
  registerPublicHttpFunction,
} from '../../shared/functions/httpFunction.js';
import { bundledWebAssets } from './bundledWebAssets.js';

/**
 * `GET /assets/{file}`: the page's scripts, styles and images, named by their content's hash and
 * cached for a year.
 *
 * @example
 * registerPublicHttpFunction(webAsset(fakeAssets));
 */
export function webAsset(assets: WebAssets): PublicHttpFunction {
  return {
    name: 'webAsset',
    route: 'assets/{file}',
    methods: ['GET'],
    handle: async (request: HttpRequest) => {
      const name = request.params.file ?? '';
      const file = await assets.asset(name);
      if (!file) throw new WebAssetNotFoundError(name);
      return assetResponse(file, request.headers.get('if-none-match'));
    },
  };
}

registerPublicHttpFunction(webAsset(bundledWebAssets));

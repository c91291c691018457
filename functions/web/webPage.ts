import type { HttpRequest } from '@azure/functions';
import type { WebAssets } from '../../services/web/WebAssets.js';
import { pageResponse } from '../../services/web/webResponses.js';
import { getConfig } from '../../shared/config.js';
import {
  type PublicHttpFunction,
  registerPublicHttpFunction,
} from '../../shared/functions/httpFunction.js';
import { bundledWebAssets } from './bundledWebAssets.js';

/**
 * `GET /` (and `/index.html`): the page, for anyone; it signs people in itself. The route's one
 * optional segment is what makes the site's root a route (`routePrefix` is empty).
 *
 * @example
 * registerPublicHttpFunction(webPage(fakeAssets, () => config));
 */
export function webPage(
  assets: WebAssets,
  config: () => { auth: { authority: string } } = getConfig,
): PublicHttpFunction {
  return {
    name: 'webPage',
    route: '{page:regex(^index.html$)?}',
    methods: ['GET'],
    handle: async (request: HttpRequest) =>
      pageResponse(
        await assets.page(),
        new URL(config().auth.authority).origin,
        request.headers.get('if-none-match'),
      ),
  };
}

registerPublicHttpFunction(webPage(bundledWebAssets));

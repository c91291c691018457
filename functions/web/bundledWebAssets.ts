import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DirectoryWebAssets } from '../../services/web/WebAssets.js';

// The bundle is `dist/app/index.js` (or a chunk under `dist/app/chunks/`); the build writes the
// page next to it, in `dist/app/web/`, and the deployment carries both.
const here = dirname(fileURLToPath(import.meta.url));
const appRoot = basename(here) === 'chunks' ? dirname(here) : here;

/** The page's files as the build wrote them next to the app's bundle. */
export const bundledWebAssets = new DirectoryWebAssets(join(appRoot, 'web'));

/**
 * The page's files, as `npm run build` writes them next to the app's bundle (`dist/app/web/`):
 * `index.html`, and `assets/` whose names carry a hash of their content, so they never change
 * under a name and can be cached for good.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** A file to answer with. */
export interface WebFile {
  body: Buffer;
  contentType: string;
  /** A strong validator of the content. */
  etag: string;
}

/** Where the page's files come from. */
export interface WebAssets {
  /** The page, `index.html`. */
  page(): Promise<WebFile>;
  /** A file of `assets/`, or `undefined` when there is none by that name. */
  asset(name: string): Promise<WebFile | undefined>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
  '.html': 'text/html; charset=utf-8',
};

/** Asset names as the build writes them: `name-HASH.ext`, no path. */
export const ASSET_NAME = /^[A-Za-z0-9_-]+-[A-Z0-9]{8}\.(js|css|svg|png|woff2|js\.map|css\.map)$/;

/** The web files are missing: the app was deployed without `npm run build`'s `web/`. */
export class WebAssetsMissingError extends Error {
  constructor(directory: string, cause: unknown) {
    super(`The web page's files are not in ${directory}: build the app with npm run build.`, {
      cause,
    });
    this.name = 'WebAssetsMissingError';
  }
}

/**
 * The page's files from a directory, each read once and kept in memory (they are small and never
 * change while the app runs).
 *
 * @example
 * const assets = new DirectoryWebAssets('/home/site/wwwroot/dist/app/web');
 * (await assets.page()).contentType; // 'text/html; charset=utf-8'
 */
export class DirectoryWebAssets implements WebAssets {
  private readonly files = new Map<string, Promise<WebFile | undefined>>();

  constructor(private readonly directory: string) {}

  async page(): Promise<WebFile> {
    const page = await this.read('index.html');
    if (!page) {
      throw new WebAssetsMissingError(this.directory, new Error('index.html is missing'));
    }
    return page;
  }

  async asset(name: string): Promise<WebFile | undefined> {
    if (!ASSET_NAME.test(name)) return undefined;
    return this.read(join('assets', name));
  }

  private read(path: string): Promise<WebFile | undefined> {
    let file = this.files.get(path);
    if (!file) {
      file = readFile(join(this.directory, path)).then(
        (body) => ({
          body,
          contentType: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
          etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        }),
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return undefined;
          throw error;
        },
      );
      this.files.set(path, file);
    }
    return file;
  }
}

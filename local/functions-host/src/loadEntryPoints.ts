import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { globToRegExp, isGlob } from './globToRegExp.js';

/** Thrown when `main` is missing or matches no file, with the worker's wording. */
export class EntryPointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntryPointError';
  }
}

async function walk(dir: string, root: string, out: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, root, out);
    else out.push(relative(root, full).split(sep).join('/'));
  }
}

/** The files `package.json` `main` names, globs expanded, in a stable order. */
export async function resolveEntryPoints(appDir: string): Promise<string[]> {
  const pkg = JSON.parse(await readFile(join(appDir, 'package.json'), 'utf8')) as { main?: string };
  if (!pkg.main) {
    throw new EntryPointError(
      `No "main" in ${join(appDir, 'package.json')}: the v4 programming model needs it to find your functions.`,
    );
  }
  if (!isGlob(pkg.main)) return [join(appDir, pkg.main)];
  const pattern = globToRegExp(pkg.main);
  const files: string[] = [];
  await walk(appDir, appDir, files);
  const matches = files.filter((file) => pattern.test(file)).sort();
  if (matches.length === 0) {
    throw new EntryPointError(`Found zero files matching the supplied pattern "${pkg.main}"`);
  }
  return matches.map((file) => join(appDir, file));
}

/** Imports each entry point in turn: ESM and CommonJS alike, as the worker does. */
export async function loadEntryPoints(files: string[]): Promise<void> {
  for (const file of files) await import(pathToFileURL(file).href);
}

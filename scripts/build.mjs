// Bundles the deployable app (functions/index.ts) into dist/app with esbuild, and the web page it
// serves into dist/app/web (see buildWeb.mjs).
// Code splitting keeps the Azure SDK clients, which the app imports dynamically, in chunks of
// their own: a cold start loads only what the first invocation needs.
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildWeb } from './buildWeb.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Builds the app into `outdir` (default `dist/app`), its page into `outdir/web`, and returns the
 * bytes of the app's JavaScript written.
 */
export async function buildApp(outdir = join(root, 'dist', 'app')) {
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { index: 'functions/index.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Prefer a package's ESM build: a CommonJS package reached through import() ends up in a
    // chunk that exports only `default`, and its named exports (ManagementLockClient…) vanish.
    mainFields: ['module', 'main'],
    sourcemap: 'linked',
    // Error classes name themselves after their class (`new.target.name`); keep those names.
    keepNames: true,
    metafile: true,
    chunkNames: 'chunks/[name]-[hash]',
    // Provided by the Functions worker at run time, never bundled.
    external: ['@azure/functions-core'],
    // Bundled CommonJS (the SDKs) calls require(); give the ESM output a real one.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  await buildWeb(join(outdir, 'web'));
  return Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .reduce((sum, [, out]) => sum + out.bytes, 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = await buildApp();
  console.log(`built dist/app (${(bytes / 1024).toFixed(0)} KiB of JavaScript)`);
}

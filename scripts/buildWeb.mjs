// Builds the web page (web/src) into `<outdir>`: `index.html` and `assets/`, each asset named by
// a hash of its content so the app can let browsers keep it for good. The page loads one script
// and one stylesheet from the app's own origin, and has no inline script or style, as its
// Content-Security-Policy demands.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `name-HASH.ext` for a file's content, in the style of esbuild's own hashed names. */
function hashedName(name, content) {
  const hash = createHash('sha256')
    .update(content)
    .digest('base64url')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 8)
    .toUpperCase();
  const dot = name.lastIndexOf('.');
  return `${name.slice(0, dot)}-${hash}${name.slice(dot)}`;
}

const escapeAttribute = (text) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;');

/**
 * Builds the page into `outdir` (default `dist/app/web`) and returns each file written with its
 * size and gzipped size, in bytes.
 */
export async function buildWeb(outdir = join(root, 'dist', 'app', 'web')) {
  await rm(outdir, { recursive: true, force: true });
  const assets = join(outdir, 'assets');
  const result = await build({
    absWorkingDir: root,
    entryPoints: { app: 'web/src/main.tsx' },
    outdir: assets,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome111', 'firefox113', 'safari16.4'],
    minify: true,
    sourcemap: 'linked',
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    metafile: true,
    legalComments: 'eof',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
  const script = outputs.find((file) => /^app-.*\.js$/.test(file));
  const style = outputs.find((file) => /^app-.*\.css$/.test(file));
  if (!script || !style) throw new Error(`The web build wrote no script or stylesheet: ${outputs}`);

  const icon = await readFile(join(root, 'web', 'src', 'favicon.svg'));
  const iconName = hashedName('favicon.svg', icon);
  await mkdir(assets, { recursive: true });
  await writeFile(join(assets, iconName), icon);

  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="Request, follow and clean up leased Azure sandboxes.">
<title>Sandboxes</title>
<link rel="icon" href="/assets/${escapeAttribute(iconName)}" type="image/svg+xml">
<link rel="stylesheet" href="/assets/${escapeAttribute(style)}">
<script type="module" src="/assets/${escapeAttribute(script)}"></script>
</head>
<body>
<div id="app"><noscript><p>This page needs JavaScript. The API is described at <a href="/api/openapi.json">/api/openapi.json</a>.</p></noscript></div>
</body>
</html>
`;
  await writeFile(join(outdir, 'index.html'), html);

  const files = ['index.html', ...[script, style, iconName].map((file) => `assets/${file}`)];
  return Promise.all(
    files.map(async (file) => {
      const content = await readFile(join(outdir, file));
      return { file, bytes: content.length, gzipBytes: gzipSync(content).length };
    }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const { file, bytes, gzipBytes } of await buildWeb()) {
    console.log(
      `${file.padEnd(32)} ${(bytes / 1024).toFixed(1).padStart(7)} KiB ${(gzipBytes / 1024).toFixed(1).padStart(7)} KiB gzipped`,
    );
  }
}

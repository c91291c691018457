// `npm run docs:screenshots`: copies the pages' screenshots that the browser tests saved under
// .local/screenshots/ (ignored by git) into docs/screenshots/, where the README shows them.
// Run the browser tests first: npx vitest run --project app test/e2e/web
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, '.local', 'screenshots');
const to = join(root, 'docs', 'screenshots');

let names;
try {
  names = (await readdir(from)).filter((name) => name.endsWith('.png')).sort();
} catch {
  names = [];
}
if (names.length === 0) {
  console.error(
    `No screenshots in ${from}: run the browser tests first (npx vitest run --project app test/e2e/web).`,
  );
  process.exit(1);
}
await mkdir(to, { recursive: true });
for (const name of names) await copyFile(join(from, name), join(to, name));
console.log(`copied ${names.length} screenshots to docs/screenshots/: ${names.join(', ')}`);

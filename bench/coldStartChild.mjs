// One cold start, measured inside a fresh process: loads the modules named on the command line
// under a recording `@azure/functions-core`, as the Functions worker would, then prints the
// milliseconds it took and how many functions registered.
import Module from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const registered = [];
const coreApi = {
  version: '3.10.1',
  registerFunction: (metadata) => {
    registered.push(metadata.name);
    return { dispose() {} };
  },
  registerHook: () => ({ dispose() {} }),
  setProgrammingModel: () => {},
  getProgrammingModel: () => undefined,
  log: () => {},
  Disposable: class {
    dispose() {}
  },
};
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === '@azure/functions-core' ? coreApi : load.call(this, request, ...rest);
};

const specifiers = process.argv.slice(2);
const started = performance.now();
for (const specifier of specifiers) {
  await import(
    specifier.startsWith('.') || specifier.startsWith('/')
      ? pathToFileURL(specifier).href
      : specifier
  );
}
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ ms, functions: registered.length })}\n`);

#!/usr/bin/env node
// `sandbox`: the command line of sandbox-automation (`npm exec sandbox -- --help`). It is written
// in TypeScript; tsx, installed with the project by `npm ci`, compiles it as it loads.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('./main.ts', import.meta.url);
process.exitCode = await main(process.argv);

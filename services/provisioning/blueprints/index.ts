import type { Blueprint } from './Blueprint.js';
import { empty } from './empty.js';
import { mysql } from './mysql.js';
import { storage } from './storage.js';
import { vm } from './vm.js';
import { webapp } from './webapp.js';

/** Every built-in blueprint by name. Adding a blueprint is adding its file and one entry here. */
export const blueprints: ReadonlyMap<string, Blueprint<unknown>> = new Map(
  [empty, storage, vm, webapp, mysql].map((b): [string, Blueprint<unknown>] => [b.name, b]),
);

// `npm start`: the local stack's entry point. It registers tsx so the TypeScript sources under
// local/ (the ARM emulator, the Functions host) run as they are, then hands over to them.
import { register } from 'tsx/esm/api';

register();
await import('../local/start/cli.ts');

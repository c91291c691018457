/**
 * The commands on sandboxes: `list`, `show`, `create`, `extend`, `delete` and `wait`. Each maps
 * its arguments to API calls and the answers to tables, JSON and an exit status.
 */
import type { Command } from 'commander';
import type { ApiClient } from '../../web/src/api.js';
import type { Operation, Sandbox } from '../../web/src/apiTypes.js';
import { formatInstant, formatRemaining } from '../../web/src/format.js';
import { CliError } from '../CliError.js';
import { type CliIo, type CommandRun, commandAction } from '../CommandContext.js';
import { confirm } from '../confirm.js';
import { operationOutcome, sandboxDetail, sandboxTable } from '../describe.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import { followOperation } from '../followOperation.js';
import { blueprintParameters, hours, keyValue, seconds } from '../parseOptions.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface WaitOptions {
  wait?: boolean;
  timeout?: number;
}

/** Follows an operation to its end, then prints how it ended: 0 if it succeeded, 1 if not. */
async function finish(
  run: CommandRun<WaitOptions>,
  api: ApiClient,
  operationId: string,
): Promise<ExitCode> {
  const timeoutMs = run.options.timeout === undefined ? undefined : run.options.timeout * 1000;
  const operation: Operation = await followOperation(api, operationId, run.out, run.io, timeoutMs);
  run.out.data(operation);
  if (operation.status === 'succeeded') {
    run.out.print(operationOutcome(operation));
    return EXIT.ok;
  }
  run.out.error(`error: ${operationOutcome(operation)}`);
  return EXIT.failed;
}

export function registerSandboxCommands(
  program: Command,
  io: CliIo,
  setExit: (code: ExitCode) => void,
) {
  const action = <O, A extends unknown[]>(
    run: (command: CommandRun<O>, ...args: A) => Promise<ExitCode | undefined>,
  ) => commandAction<O, A>(io, setExit, run);

  program
    .command('list')
    .description("your sandboxes, each lease counting down (an admin's list holds everyone's)")
    .option('--owner <owner>', "an admin's view of one owner's sandboxes (object id or name)")
    .action(
      action<{ owner?: string }, []>(async ({ options, out, connect }) => {
        const { api } = await connect();
        const sandboxes = await api.listSandboxes(options.owner);
        out.data(sandboxes);
        out.print(sandboxTable(sandboxes, io.clock()));
        return EXIT.ok;
      }),
    );

  program
    .command('show')
    .description('a sandbox: its lease, power schedule, resources and history')
    .argument('<name>', "the sandbox's name")
    .action(
      action<object, [string]>(async ({ out, connect }, name) => {
        const { api, session } = await connect();
        const [sandbox, resources, history] = await Promise.all([
          api.getSandbox(name),
          api.listResources(name),
          api.history(name),
        ]);
        out.data({ ...sandbox, resources, history });
        out.print(
          sandboxDetail(
            {
              sandbox,
              resources,
              history,
              ...(session
                ? { portal: { url: session.target.portalUrl, tenantId: session.target.tenantId } }
                : {}),
            },
            io.clock(),
          ),
        );
        return EXIT.ok;
      }),
    );

  program
    .command('create')
    .description(
      "request a sandbox and follow its build (parameters follow the blueprint's schema)",
    )
    .argument('<name>', "the sandbox's name, which is its resource group's")
    .requiredOption(
      '-b, --blueprint <blueprint>',
      'what to build: storage, vm, webapp, mysql, empty, …',
    )
    .option('-l, --location <location>', "an allowed Azure region (default: the policy's first)")
    .option('--ttl <hours>', 'the lease, in hours from now (default: the policy’s)', hours)
    .option('-p, --param <key=value>', 'a blueprint parameter; repeat for more', keyValue)
    .option('--tag <key=value>', 'a tag for the resource group; repeat for more', keyValue)
    .option(
      '--power-schedule <schedule>',
      'when its VMs stop and start, in off-hours syntax: off=(M-F,19);on=(M-F,7);tz=Europe/Berlin',
    )
    .option('--owner <owner>', 'whose sandbox it is (admins only; default: you)')
    .option('--idempotency-key <key>', 'makes a retried request return the first one’s operation')
    .option('--no-wait', 'return once the request is accepted')
    .option('--timeout <seconds>', 'stop waiting after this long (the build goes on)', seconds)
    .action(
      action<
        WaitOptions & {
          blueprint: string;
          location?: string;
          ttl?: number;
          param?: Array<[string, string]>;
          tag?: Array<[string, string]>;
          powerSchedule?: string;
          owner?: string;
          idempotencyKey?: string;
        },
        [string]
      >(async (run, name) => {
        const { options, out } = run;
        const { api } = await run.connect();
        const [blueprints, policy] = await Promise.all([
          api.blueprints(),
          options.location ? undefined : api.policy(),
        ]);
        const blueprint = blueprints.find((b) => b.name === options.blueprint);
        if (!blueprint) {
          throw new CliError(
            `No blueprint '${options.blueprint}'. The blueprints are: ${blueprints.map((b) => b.name).join(', ')}.`,
            EXIT.usage,
          );
        }
        const location = options.location ?? policy?.allowedLocations[0];
        if (!location)
          throw new CliError('The policy allows no location: pass --location.', EXIT.usage);
        const request = {
          name,
          location,
          blueprint: blueprint.name,
          ...(options.ttl === undefined ? {} : { ttlHours: options.ttl }),
          ...(options.owner ? { owner: options.owner } : {}),
          ...(options.powerSchedule ? { powerSchedule: options.powerSchedule } : {}),
          ...(options.param?.length
            ? { parameters: blueprintParameters(options.param, blueprint.parameters) }
            : {}),
          ...(options.tag?.length ? { tags: Object.fromEntries(options.tag) } : {}),
        };
        const { body: accepted } = await api.call<{ operationId: string; sandbox: string }>(
          'POST',
          '/api/sandboxes',
          {
            body: request,
            ...(options.idempotencyKey
              ? { headers: { 'idempotency-key': options.idempotencyKey } }
              : {}),
          },
        );
        if (!options.wait) {
          out.data(accepted);
          out.print(
            `Requested ${accepted.sandbox} in ${location}: follow it with sandbox wait ${accepted.operationId}`,
          );
          return EXIT.ok;
        }
        out.note(
          `Requested ${accepted.sandbox} in ${location} (operation ${accepted.operationId}).`,
        );
        return finish(run, api, accepted.operationId);
      }),
    );

  program
    .command('extend')
    .description("extend a sandbox's lease to some hours from now")
    .argument('<name>', "the sandbox's name")
    .requiredOption('--hours <hours>', 'the new lease, in hours from now', hours)
    .option('--owner <owner>', "the owner, when an admin extends someone else's")
    .action(
      action<{ hours: number; owner?: string }, [string]>(
        async ({ options, out, connect }, name) => {
          const { api } = await connect();
          const { body: sandbox } = await api.call<Sandbox>(
            'POST',
            `/api/sandboxes/${encodeURIComponent(name)}/extend`,
            {
              body: { ttlHours: options.hours, ...(options.owner ? { owner: options.owner } : {}) },
            },
          );
          const clock = io.clock();
          out.data(sandbox);
          out.print(
            `The lease of ${sandbox.name} now ends ${formatInstant(sandbox.expiresAt, clock.locale, clock.timeZone)} (${formatRemaining(sandbox.expiresAt, clock.now).text}).`,
          );
          return EXIT.ok;
        },
      ),
    );

  program
    .command('delete')
    .description('delete a sandbox and everything in it, and follow the teardown')
    .argument('<name>', "the sandbox's name")
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--no-wait', 'return once the deletion is accepted')
    .option('--timeout <seconds>', 'stop waiting after this long (the teardown goes on)', seconds)
    .action(
      action<WaitOptions & { yes?: boolean }, [string]>(async (run, name) => {
        const { options, out } = run;
        const { api } = await run.connect();
        if (!(await confirm(io, `Delete ${name} and everything in it?`, options.yes))) {
          out.note('Nothing deleted.');
          return EXIT.ok;
        }
        const accepted = await api.deleteSandbox(name);
        if (!options.wait) {
          out.data(accepted);
          out.print(`Deleting ${name}: follow it with sandbox wait ${accepted.operationId}`);
          return EXIT.ok;
        }
        out.note(`Deleting ${name} (operation ${accepted.operationId}).`);
        return finish(run, api, accepted.operationId);
      }),
    );

  program
    .command('wait')
    .description("follow an operation (or a sandbox's latest) to its end, showing its progress")
    .argument('<operation>', 'an operation id, or a sandbox name for its latest operation')
    .option('--timeout <seconds>', 'stop waiting after this long (the operation goes on)', seconds)
    .action(
      action<WaitOptions, [string]>(async (run, target) => {
        const { api } = await run.connect();
        let id = target;
        if (!UUID.test(target)) {
          const sandbox = await api.getSandbox(target);
          if (!sandbox.operationId) {
            throw new CliError(`${sandbox.name} names no operation to wait for.`, EXIT.notFound);
          }
          id = sandbox.operationId;
        }
        return finish(run, api, id);
      }),
    );
}

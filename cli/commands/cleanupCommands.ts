/**
 * `sandbox cleanup plan|apply|approve|show|list`: cleanup runs for admins and approvers. A plan is
 * a dry run; an apply run that trips the blast-radius breaker waits for someone else's approval.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { ApiClient } from '../../web/src/api.js';
import type { CleanupAction, CleanupRun } from '../../web/src/apiTypes.js';
import { type CliIo, type CommandRun, commandAction } from '../CommandContext.js';
import { confirm } from '../confirm.js';
import { runDetail, runProgressLine, runsTable } from '../describe.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import { follow } from '../follow.js';
import { isPassingProblem } from '../followOperation.js';
import { seconds } from '../parseOptions.js';

const ACTIONS: readonly CleanupAction[] = ['delete', 'delete-marked', 'mark', 'warn', 'skip'];

function cleanupAction(value: string): CleanupAction {
  if (!(ACTIONS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`must be one of ${ACTIONS.join(', ')}.`);
  }
  return value as CleanupAction;
}

interface RunOptions {
  action?: CleanupAction;
  wait?: boolean;
  timeout?: number;
}

/** Follows a run until it is planned (`plan`) or until it has ended (`apply`). */
function followRun(
  run: CommandRun<RunOptions>,
  api: ApiClient,
  runId: string,
  until: 'planned' | 'ended',
): Promise<CleanupRun> {
  const waiting = until === 'planned' ? ['queued'] : ['queued', 'applying'];
  return follow<CleanupRun>({
    poll: async () => ({ value: await api.run(runId) }),
    isDone: (current) => !waiting.includes(current.status),
    onUpdate: (current) => run.out.progress(runProgressLine(current)),
    defaultIntervalMs: 2_000,
    retryable: isPassingProblem,
    retryDelayMs: 5_000,
    signal: run.io.interrupted,
    ...(run.options.timeout === undefined ? {} : { timeoutMs: run.options.timeout * 1000 }),
  });
}

/**
 * Prints a run and answers the exit status its state means for the command that started or
 * approved it; `show` only shows (0).
 */
function report(run: CommandRun<RunOptions>, current: CleanupRun, judge = true): ExitCode {
  run.out.data(current);
  run.out.print(runDetail(current, run.io.clock(), run.options.action));
  if (!judge) return EXIT.ok;
  if (current.status === 'blocked') {
    run.out.error(
      `Blocked by the blast-radius breaker: nothing was deleted. Someone else may approve it with sandbox cleanup approve ${current.runId}`,
    );
    return EXIT.blocked;
  }
  if (current.status === 'failed') return EXIT.failed;
  if ((current.outcomes.failed ?? 0) > 0) {
    run.out.error(
      `${current.outcomes.failed} groups could not be cleaned up: see the plan's outcomes.`,
    );
    return EXIT.failed;
  }
  return EXIT.ok;
}

export function registerCleanupCommands(
  program: Command,
  io: CliIo,
  setExit: (code: ExitCode) => void,
) {
  const action = <O, A extends unknown[]>(
    run: (command: CommandRun<O>, ...args: A) => Promise<ExitCode | undefined>,
  ) => commandAction<O, A>(io, setExit, run);

  const cleanup = program
    .command('cleanup')
    .description('cleanup runs: plan (a dry run), apply, approve a blocked run, show, list');

  const filter = '--action <action>';
  const filterHelp = `show only the plan's groups with this action (${ACTIONS.join(', ')})`;

  cleanup
    .command('plan')
    .description('start a dry run and show its plan: every group, what would be done and why')
    .option(filter, filterHelp, cleanupAction)
    .option('--timeout <seconds>', 'stop waiting after this long (the run goes on)', seconds)
    .action(
      action<RunOptions, []>(async (run) => {
        const { api } = await run.connect();
        const accepted = await api.startRun(true);
        run.out.note(`Started dry run ${accepted.runId}.`);
        return report(run, await followRun(run, api, accepted.runId, 'planned'));
      }),
    );

  cleanup
    .command('apply')
    .description('start an apply run: plan, then delete, mark and warn as planned')
    .option('-y, --yes', 'do not ask for confirmation')
    .option(filter, filterHelp, cleanupAction)
    .option('--no-wait', 'return once the run is accepted')
    .option('--timeout <seconds>', 'stop waiting after this long (the run goes on)', seconds)
    .action(
      action<RunOptions & { yes?: boolean }, []>(async (run) => {
        const { api } = await run.connect();
        if (!(await confirm(io, 'Delete the expired sandboxes the plan finds?', run.options.yes))) {
          run.out.note('No run started.');
          return EXIT.ok;
        }
        const accepted = await api.startRun(false);
        if (!run.options.wait) {
          run.out.data(accepted);
          run.out.print(
            `Started apply run ${accepted.runId}: sandbox cleanup show ${accepted.runId}`,
          );
          return EXIT.ok;
        }
        run.out.note(`Started apply run ${accepted.runId}.`);
        return report(run, await followRun(run, api, accepted.runId, 'ended'));
      }),
    );

  cleanup
    .command('approve')
    .description('approve a blocked run (or a dry run) and follow it as it applies its plan')
    .argument('<run>', "the run's id")
    .option(filter, filterHelp, cleanupAction)
    .option('--no-wait', 'return once the approval is accepted')
    .option('--timeout <seconds>', 'stop waiting after this long (the run goes on)', seconds)
    .action(
      action<RunOptions, [string]>(async (run, runId) => {
        const { api } = await run.connect();
        const accepted = await api.approveRun(runId);
        if (!run.options.wait) {
          run.out.data(accepted);
          run.out.print(`Approved ${accepted.runId}: sandbox cleanup show ${accepted.runId}`);
          return EXIT.ok;
        }
        run.out.note(`Approved ${accepted.runId}: the plan is being applied.`);
        return report(run, await followRun(run, api, accepted.runId, 'ended'));
      }),
    );

  cleanup
    .command('show')
    .description('a run: its mode, status, breaker and plan with outcomes (default: the latest)')
    .argument('[run]', "the run's id, or latest", 'latest')
    .option(filter, filterHelp, cleanupAction)
    .option('--markdown', "print the run's summary for people, in Markdown")
    .action(
      action<RunOptions & { markdown?: boolean }, [string]>(async (run, runId) => {
        const { api } = await run.connect();
        if (run.options.markdown) {
          const markdown = await api.runSummary((await api.run(runId)).runId);
          run.out.data({ markdown });
          run.out.print(markdown);
          return EXIT.ok;
        }
        return report(run, await api.run(runId), false);
      }),
    );

  cleanup
    .command('list')
    .description('the newest cleanup runs, and how far each got')
    .option('--top <n>', 'how many runs (at most 100)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 100)
        throw new InvalidArgumentError('must be 1 to 100.');
      return n;
    })
    .action(
      action<{ top?: number }, []>(async ({ options, out, connect }) => {
        const { api } = await connect();
        const runs = await api.listRuns(options.top ?? 20);
        out.data(runs);
        out.print(runsTable(runs, io.clock()));
        return EXIT.ok;
      }),
    );
}

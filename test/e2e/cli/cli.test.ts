/**
 * The `sandbox` CLI as people run it: a child process (`cli/sandbox.mjs`) against the whole local
 * stack, signed in through the local Entra ID with `@azure/identity` (a test user, or a device
 * code entered on the Entra ID page as a person would), its tables, `--json`,
 * progress on stderr and exit statuses. A person requests, reads, extends and deletes a storage
 * sandbox; an admin plans a cleanup run and starts one the breaker blocks, which an approver
 * approves.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupExists, leaseTags, seedGroups } from '../../support/cleanup/cleanupE2e.js';
import {
  type CliUser,
  cliUser,
  completeDeviceSignIn,
  writeRuntime,
} from '../../support/cli/runCli.js';
import { groupInEmulator, resourcesInEmulator } from '../../support/provision/e2eClient.js';
import { type Stack, startStack } from '../../support/stack.js';

let stack: Stack;
let runtimePath: string;

beforeAll(async () => {
  // Two deletes at most: three expired sandboxes trip the breaker.
  stack = await startStack({
    settings: { CLEANUP_MAX_DELETES: '2', CLEANUP_MAX_DELETE_FRACTION: '1' },
  });
  runtimePath = await writeRuntime(stack);
});

afterAll(async () => {
  await stack?.stop();
});

describe('sandbox, the CLI', () => {
  it('lists its commands and exit statuses', async () => {
    // Act
    const { code, stdout } = await (await cliUser(runtimePath)).run(['--help']);

    // Assess
    expect(code).toBe(0);
    for (const command of [
      'login',
      'create',
      'list',
      'show',
      'extend',
      'delete',
      'wait',
      'cleanup',
    ]) {
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(stdout).toContain('8    an apply run was blocked by the blast-radius breaker');
  });

  it('refuses a command line it does not know with status 2', async () => {
    // Act
    const { code, stderr } = await (await cliUser(runtimePath)).run(['create', 'x']);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain("error: required option '-b, --blueprint <blueprint>' not specified");
  });

  it('asks for a sign-in first, with status 3', async () => {
    // Act
    const { code, stderr } = await (await cliUser(runtimePath)).run(['list']);

    // Assess
    expect(code).toBe(3);
    expect(stderr).toBe(
      'error: Not signed in: run sandbox login (the Azure CLI), sandbox login --device-code, or sandbox login --user <test user> on the local stack.\n',
    );
  });

  it('signs in with a device code, and stays signed in for the next commands', async () => {
    // Prepare
    const bob = await cliUser(runtimePath);
    let browser: Promise<void> | undefined;

    // Act: the person reads the code the CLI shows, and signs in "on another device"
    const login = await bob.run(['login', '--device-code'], {}, (stderr) => {
      const shown = /open the page (\S+) and enter the code (\w+) to authenticate/.exec(stderr);
      if (shown && !browser) {
        browser = completeDeviceSignIn(stack, shown[1]!, shown[2]!, 'bob@contoso.com');
      }
    });
    await browser;
    const list = await bob.run(['list', '--json']);

    // Assess: signed in, and the next process needs no code: the token cache, owner-only
    expect(login).toEqual({
      code: 0,
      stderr: expect.stringContaining('enter the code'),
      stdout: `Signed in to ${stack.hostUrl} as bob@contoso.com (Sandbox.User).\n`,
    });
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(list.stdout)).toEqual([]);
    const caches = (await readdir(bob.configDir)).filter((f) => f.startsWith('tokens-'));
    expect(caches.length).toBeGreaterThan(0);
    for (const file of caches) {
      expect((await stat(join(bob.configDir, file))).mode & 0o777).toBe(0o600);
    }
  });

  it('asks which test user signs in to the local stack', async () => {
    // Act
    const { code, stderr } = await (await cliUser(runtimePath)).run(['login']);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain(
      `error: The API at ${stack.hostUrl} signs people in through the local stack: name a test user with --user (ana@contoso.com, bob@contoso.com,`,
    );
  });
});

describe('sandbox, for a person with sandboxes', () => {
  let ana: CliUser;

  beforeAll(async () => {
    ana = await cliUser(runtimePath);
  });

  it('signs in as a test user and keeps no secret', async () => {
    // Act
    const { code, stdout } = await ana.run(['login', '--user', 'ana@contoso.com']);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe(`Signed in to ${stack.hostUrl} as ana@contoso.com (Sandbox.User).\n`);
    const session = join(ana.configDir, 'session.json');
    expect((await stat(session)).mode & 0o777).toBe(0o600);
    const password = (await stack.arm.control.entra()).users.find(
      (u) => u.username === 'ana@contoso.com',
    )!.password;
    expect(
      await import('node:fs/promises').then((fs) => fs.readFile(session, 'utf8')),
    ).not.toContain(password);
  });

  it('creates a storage sandbox, showing its progress, and says when it is ready', async () => {
    // Act
    const { code, stdout, stderr } = await ana.run([
      'create',
      'ana-cli-1',
      '--blueprint',
      'storage',
      '--location',
      'westeurope',
      '--param',
      'containerName=reports',
      '--power-schedule',
      'off=(M-F,19);on=(M-F,7);tz=Europe/Berlin',
    ]);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe('ana-cli-1 is ready: all 4 steps succeeded.\n');
    expect(stderr).toMatch(/^Requested ana-cli-1 in westeurope \(operation [0-9a-f-]{36}\)\.\n/);
    expect(stderr).toMatch(/^Building ana-cli-1: \d of 4 steps done/m);
    expect(stderr).toContain('Building ana-cli-1: 4 of 4 steps done\n');
    expect(resourcesInEmulator(stack, 'ana-cli-1').map((r) => r.id)).toContainEqual(
      expect.stringMatching(/\/blobServices\/default\/containers\/reports$/),
    );
  });

  it('says what the API refused, field by field, with status 7', async () => {
    // Act
    const { code, stdout, stderr } = await ana.run([
      'create',
      'Ana cli!',
      '--blueprint',
      'storage',
    ]);

    // Assess
    expect(code).toBe(7);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'error: Policy violation:\n  <name>: may hold only letters, digits, hyphens, underscores, periods and parentheses\n',
    );
  });

  it('lists the sandbox with its lease counting down', async () => {
    // Act
    const { code, stdout } = await ana.run(['list']);

    // Assess
    expect(code).toBe(0);
    const [heading, row, ...rest] = stdout.trimEnd().split('\n');
    expect(heading).toMatch(/^NAME\s+LEASE\s+BLUEPRINT\s+LOCATION\s+STATE$/);
    expect(row).toMatch(/^ana-cli-1\s+23 h 5\d min left\s+storage\s+westeurope\s+Succeeded$/);
    expect(rest).toEqual([]);
  });

  it('lists in JSON with --json', async () => {
    // Act
    const { code, stdout } = await ana.run(['list', '--json']);

    // Assess
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { name: string }[]).map((s) => s.name)).toEqual(['ana-cli-1']);
  });

  it('shows the sandbox, its resources and its history', async () => {
    // Act
    const { code, stdout } = await ana.run(['show', 'ana-cli-1']);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Name: +ana-cli-1$/m);
    expect(stdout).toMatch(/^Power: +off=\(M-F,19\);on=\(M-F,7\);tz=Europe\/Berlin$/m);
    expect(stdout).toMatch(/^Lease: +23 h 5\d min left \(ends \d{1,2} \w{3} \d{4}, \d\d:\d\d\)$/m);
    expect(stdout).toMatch(
      /^Portal: +https:\/\/portal\.azure\.com\/#@[0-9a-f-]+\/resource\/subscriptions\/[^/]+\/resourceGroups\/ana-cli-1$/m,
    );
    expect(stdout).toMatch(/^st\w+ +Microsoft\.Storage\/storageAccounts +Succeeded$/m);
    expect(stdout).toMatch(/Operation succeeded +worker\n.+Requested +ana@contoso\.com\n?$/);
  });

  it('extends the lease', async () => {
    // Act
    const { code, stdout } = await ana.run(['extend', 'ana-cli-1', '--hours', '48']);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/^The lease of ana-cli-1 now ends .+ \(1 d 23 h left\)\.\n$/);
    const lease = Date.parse(groupInEmulator(stack, 'ana-cli-1')!.tags!['sandbox-expires-at']!);
    expect(lease - Date.now()).toBeGreaterThan(47 * 3_600_000);
  });

  it('will not delete without a confirmation it cannot ask for', async () => {
    // Act
    const { code, stderr } = await ana.run(['delete', 'ana-cli-1']);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toBe(
      'error: Delete ana-cli-1 and everything in it? Not asked without a terminal: add --yes.\n',
    );
    expect(groupInEmulator(stack, 'ana-cli-1')).toBeDefined();
  });

  it('deletes the sandbox and answers the finished teardown in JSON', async () => {
    // Act
    const { code, stdout } = await ana.run(['delete', 'ana-cli-1', '--yes', '--json']);

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      kind: 'teardown',
      sandbox: 'ana-cli-1',
      status: 'succeeded',
    });
    expect(groupInEmulator(stack, 'ana-cli-1')).toBeUndefined();
  });

  it('says a sandbox is not there, with status 5', async () => {
    // Act
    const { code, stderr } = await ana.run(['show', 'ana-cli-1']);

    // Assess
    expect(code).toBe(5);
    expect(stderr).toBe("error: Sandbox not found: No sandbox named 'ana-cli-1'.\n");
  });

  it('may not plan a cleanup run: status 4', async () => {
    // Act
    const { code, stderr } = await ana.run(['cleanup', 'plan']);

    // Assess
    expect(code).toBe(4);
    expect(stderr).toMatch(/^error: Forbidden: /);
  });

  it('signs out, and then is not signed in', async () => {
    // Act
    const out = await ana.run(['logout']);
    const after = await ana.run(['list']);

    // Assess
    expect(out).toMatchObject({ code: 0, stdout: 'Signed out ana@contoso.com.\n' });
    expect(after.code).toBe(3);
  });

  it('takes a token from SANDBOX_TOKEN, for pipelines that sign in themselves', async () => {
    // Prepare
    const token = await stack.token('bob@contoso.com');

    // Act
    const { code, stdout } = await ana.run(['list', '--json'], {
      SANDBOX_TOKEN: token,
      SANDBOX_ENDPOINT: stack.hostUrl,
    });

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([]);
  });
});

describe('sandbox cleanup, for admins and approvers', () => {
  let ops: CliUser;
  let carol: CliUser;
  let blocked: string;
  const doomed = ['sbx-cli-gone-1', 'sbx-cli-gone-2', 'sbx-cli-gone-3'];

  beforeAll(async () => {
    ops = await cliUser(runtimePath);
    carol = await cliUser(runtimePath);
    await seedGroups(stack, [
      ...doomed.map((name, i) => ({ name, tags: leaseTags(-1 - i) })),
      { name: 'sbx-cli-fresh', tags: leaseTags(100) },
      { name: 'sbx-cli-locked', tags: leaseTags(-2), lock: 'CanNotDelete' as const },
    ]);
    expect((await ops.run(['login', '--user', 'ops@contoso.com'])).code).toBe(0);
    expect((await carol.run(['login', '--user', 'carol@contoso.com'])).code).toBe(0);
  });

  it('plans a dry run and shows its plan, filtered by action', async () => {
    // Act
    const { code, stdout } = await ops.run(['cleanup', 'plan', '--action', 'delete']);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Mode: +dry run: the plan is only written down, nothing is deleted$/m);
    expect(stdout).toMatch(/^Status: +completed$/m);
    expect(stdout).toContain('Plan (3 of ');
    const rows = stdout.split('\n').filter((line) => line.startsWith('sbx-cli-'));
    expect(rows.map((line) => line.split(/\s+/)[0]).sort()).toEqual(doomed);
    expect(rows.every((line) => / delete +lease-expired .+ not applied$/.test(line))).toBe(true);
    expect(doomed.every((name) => groupExists(stack, name))).toBe(true);
  });

  it('starts an apply run the breaker blocks: status 8, nothing deleted', async () => {
    // Act
    const { code, stdout, stderr } = await ops.run(['cleanup', 'apply', '--yes']);

    // Assess
    expect(code).toBe(8);
    blocked = /^Run: +(\S+)$/m.exec(stdout)?.[1] ?? '';
    expect(stdout).toMatch(/^Status: +blocked$/m);
    expect(stdout).toMatch(/^Breaker: +tripped: 3 deletes of \d+ governed groups/m);
    expect(stderr).toContain(
      `Blocked by the blast-radius breaker: nothing was deleted. Someone else may approve it with sandbox cleanup approve ${blocked}`,
    );
    expect(doomed.every((name) => groupExists(stack, name))).toBe(true);
  });

  it('will not let whoever started a run approve it: status 4', async () => {
    // Act
    const { code, stderr } = await ops.run(['cleanup', 'approve', blocked]);

    // Assess
    expect(code).toBe(4);
    expect(stderr).toBe(
      `error: Forbidden: 'ops@contoso.com' started run '${blocked}'; separation of duties: someone else must approve it.\n`,
    );
  });

  it('lets an approver approve it, and follows it to the end', async () => {
    // Act
    const { code, stdout, stderr } = await carol.run(['cleanup', 'approve', blocked]);

    // Assess
    expect(code).toBe(0);
    expect(stderr).toContain(`Approved ${blocked}: the plan is being applied.`);
    expect(stdout).toMatch(/^Status: +completed$/m);
    expect(stdout).toMatch(/^Approved by: +carol@contoso\.com$/m);
    expect(stdout).toMatch(/^Outcomes: +deleted 3$/m);
    expect(doomed.some((name) => groupExists(stack, name))).toBe(false);
    expect(groupExists(stack, 'sbx-cli-locked')).toBe(true);
  });

  it('lists the runs, newest first, in JSON', async () => {
    // Act
    const { code, stdout } = await carol.run(['cleanup', 'list', '--json']);

    // Assess
    expect(code).toBe(0);
    const runs = JSON.parse(stdout) as { runId: string; mode: string; status: string }[];
    expect(runs[0]).toMatchObject({ runId: blocked, mode: 'apply', status: 'completed' });
    expect(runs[1]).toMatchObject({ mode: 'dry-run', status: 'completed' });
  });
});

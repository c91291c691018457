/**
 * What the CLI's exit status means, so scripts can tell a refusal from a failure. The README and
 * `sandbox --help` list them.
 */
export const EXIT = {
  ok: 0,
  /** What was asked for ended badly: the operation or run failed; or an unexpected error. */
  failed: 1,
  /** The command line is wrong. */
  usage: 2,
  /** Not signed in, or the API refused the sign-in (401). */
  signIn: 3,
  /** Signed in, but the caller's app roles do not allow it (403). */
  forbidden: 4,
  /** No such sandbox, operation or run (404). */
  notFound: 5,
  /** Not now: the sandbox is being deleted, the name is taken, a run is not approvable (409). */
  conflict: 6,
  /** The API refused the request: validation or policy (400, 413, 415, 422). */
  invalid: 7,
  /** An apply run was blocked by the blast-radius breaker: it waits for an approval. */
  blocked: 8,
  /** `--timeout` passed before the operation or run ended (it goes on). */
  timeout: 9,
  /** The API cannot be reached, is throttling (429) or failing (5xx). */
  unavailable: 10,
  /** Ctrl-C while waiting (the operation or run goes on). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * The exit status for an answer's HTTP status (0: no answer at all).
 *
 * @example
 * exitCodeForStatus(409); // EXIT.conflict
 */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 0 || status === 429 || status >= 500) return EXIT.unavailable;
  if (status === 401) return EXIT.signIn;
  if (status === 403) return EXIT.forbidden;
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status >= 400) return EXIT.invalid;
  return EXIT.failed;
}

/** The exit codes for `--help`, one a line. */
export const EXIT_CODES_HELP = `Exit status:
  0    done
  1    the operation or run failed, or an unexpected error
  2    the command line is wrong
  3    not signed in, or the sign-in was refused (401)
  4    not allowed for your app roles (403)
  5    no such sandbox, operation or run (404)
  6    not now: being deleted, name taken, not approvable (409)
  7    refused by validation or policy (400, 413, 415, 422)
  8    an apply run was blocked by the blast-radius breaker, waiting for approval
  9    --timeout passed while waiting (the work goes on)
  10   the API cannot be reached, is throttling or failing
  130  interrupted while waiting (the work goes on)`;

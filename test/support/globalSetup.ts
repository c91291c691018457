/**
 * Runs once in the main vitest process before any worker starts. Workers are forked processes
 * and inherit the environment set here.
 */
export default async function setup(): Promise<void> {}

import { describe, expect, it, vi } from 'vitest';
import { createLogger, type LogEntry } from '../../../../shared/logging/logger.js';

const now = () => new Date('2026-01-01T00:00:00.000Z');

function collecting() {
  const entries: LogEntry[] = [];
  return { entries, sink: (e: LogEntry) => void entries.push(e) };
}

describe('createLogger', () => {
  it('binds the invocation id and the given bindings to every entry', () => {
    // Prepare
    const { entries, sink } = collecting();
    const log = createLogger(
      { invocationId: 'inv-1' },
      { operationId: 'op-1', sandbox: 'sbx-1' },
      { sink, now },
    );

    // Act
    log.info('created', { step: 'group' });

    // Assess
    expect(entries).toEqual([
      {
        time: '2026-01-01T00:00:00.000Z',
        level: 'info',
        message: 'created',
        invocationId: 'inv-1',
        operationId: 'op-1',
        sandbox: 'sbx-1',
        step: 'group',
      },
    ]);
  });

  it('adds bindings in a child without changing the parent', () => {
    // Prepare
    const { entries, sink } = collecting();
    const parent = createLogger(undefined, { runId: 'run-1' }, { sink, now });

    // Act
    const child = parent.child({ sandbox: 'rg-1' });
    child.warn('skipped');
    parent.warn('done');

    // Assess
    expect(entries.map(({ message, runId, sandbox }) => ({ message, runId, sandbox }))).toEqual([
      { message: 'skipped', runId: 'run-1', sandbox: 'rg-1' },
      { message: 'done', runId: 'run-1', sandbox: undefined },
    ]);
    expect(child.bindings).toEqual({ runId: 'run-1', sandbox: 'rg-1' });
  });

  it.each([
    { level: 'debug' as const, written: ['debug', 'info', 'warn', 'error'] },
    { level: 'info' as const, written: ['info', 'warn', 'error'] },
    { level: 'error' as const, written: ['error'] },
  ])('at level $level writes $written', ({ level, written }) => {
    // Prepare
    const { entries, sink } = collecting();
    const log = createLogger(undefined, {}, { sink, now, level });

    // Act
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');

    // Assess
    expect(entries.map((e) => e.level)).toEqual(written);
  });

  it('redacts the message, the fields and the bindings', () => {
    // Prepare
    const { entries, sink } = collecting();
    const log = createLogger(undefined, { url: 'https://a/b?sig=s1' }, { sink, now });

    // Act
    log.error('call to https://h/p?code=k2 failed', {
      headers: { authorization: 'Bearer t3t3t3t3t3t3t3t3t3t3t3' },
      connection: 'AccountName=a;AccountKey=k4==;',
    });

    // Assess
    const text = JSON.stringify(entries);
    expect(text).not.toMatch(/s1|k2|t3t3|k4==/);
    expect(entries[0]).toMatchObject({
      message: 'call to https://h/p?code=[REDACTED] failed',
      url: 'https://a/b?sig=[REDACTED]',
      headers: { authorization: '[REDACTED]' },
      connection: 'AccountName=a;AccountKey=[REDACTED];',
    });
  });

  it('writes through the invocation context as JSON, so the host attributes it', () => {
    // Prepare
    const context = {
      invocationId: 'inv-2',
      info: vi.fn(),
      warn: vi.fn(),
      error: vi.fn(),
      debug: vi.fn(),
    };
    const log = createLogger(context, { operationId: 'op-2' }, { now });

    // Act
    log.info('hello');
    log.warn('careful');
    log.error('broken');
    log.debug('detail');

    // Assess
    expect(JSON.parse(context.info.mock.calls[0]?.[0] as string)).toEqual({
      time: '2026-01-01T00:00:00.000Z',
      level: 'info',
      message: 'hello',
      invocationId: 'inv-2',
      operationId: 'op-2',
    });
    expect(context.warn).toHaveBeenCalledTimes(1);
    expect(context.error).toHaveBeenCalledTimes(1);
    expect(context.debug).toHaveBeenCalledTimes(1);
  });

  it('writes JSON lines to stdout when it is not a terminal', () => {
    // Prepare
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const log = createLogger(undefined, { runId: 'r' }, { now, pretty: false });

    // Act
    log.info('line');

    // Assess
    const line = write.mock.calls[0]?.[0] as string;
    write.mockRestore();
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toEqual({
      time: '2026-01-01T00:00:00.000Z',
      level: 'info',
      message: 'line',
      runId: 'r',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { HostLogger, minimumLevel } from '../../src/HostLogger.js';
import { formatReadyLine, parseReadyLine } from '../../src/readyLine.js';

describe('minimumLevel', () => {
  it.each([
    ['Function.send.User', {}, 'information'],
    ['Function.send.User', { default: 'Warning' }, 'warning'],
    ['Function.send.User', { default: 'Warning', Function: 'Trace' }, 'trace'],
    ['Function.send.User', { Function: 'Trace', 'Function.send': 'Error' }, 'error'],
    ['Host.Startup', { default: 'None', Function: 'Trace' }, 'none'],
    ['Functionality', { Function: 'Trace' }, 'information'],
  ])('%s under %j → %s', (category, levels, level) => {
    expect(minimumLevel(category, levels)).toBe(level);
  });
});

describe('HostLogger', () => {
  it('writes text lines for people and JSON lines for machines, filtered by level', () => {
    // Prepare
    const text: string[] = [];
    const json: string[] = [];
    const levels = { default: 'Information' };
    const people = new HostLogger({ format: 'text', levels, write: (l) => text.push(l) });
    const machines = new HostLogger({ format: 'json', levels, write: (l) => json.push(l) });
    // Act
    for (const logger of [people, machines]) {
      logger.info('Host.Startup', 'hello', { extra: 1 });
      logger.log({ level: 'debug', category: 'Host.Startup', message: 'hidden' });
    }
    // Assess
    expect(text).toHaveLength(1);
    expect(text[0]).toMatch(/^\[\d{4}-\d\d-\d\dT[\d:.]+Z\] hello$/);
    expect(json).toHaveLength(1);
    expect(JSON.parse(json[0]!)).toMatchObject({
      level: 'information',
      category: 'Host.Startup',
      message: 'hello',
      extra: 1,
    });
  });
});

describe('ready line', () => {
  const info = {
    url: 'http://127.0.0.1:7071',
    port: 7071,
    routePrefix: 'api',
    masterKey: 'm',
    functionKey: 'f',
    functions: [],
  };

  it.each(['text', 'json'] as const)('round-trips in %s format', (format) => {
    expect(parseReadyLine(formatReadyLine(info, format))).toEqual(info);
  });

  it('ignores other lines', () => {
    expect(parseReadyLine('{"message":"Host started"}')).toBeUndefined();
  });
});

describe('HostLogger levels', () => {
  it('applies new levels to categories it has already seen', () => {
    // Prepare
    const lines: string[] = [];
    const logger = new HostLogger({ format: 'text', write: (l) => lines.push(l) });
    logger.log({ level: 'debug', category: 'Function.f', message: 'hidden' });
    // Act
    logger.setLevels({ Function: 'Debug' });
    logger.log({ level: 'debug', category: 'Function.f', message: 'shown' });
    // Assess
    expect(lines.map((l) => l.replace(/^\[[^\]]+\] /, ''))).toEqual(['shown']);
  });

  it('writes raw lines in order with log lines', () => {
    // Prepare
    const lines: string[] = [];
    const logger = new HostLogger({ format: 'json', write: (l) => lines.push(l) });
    // Act
    logger.info('Host.Startup', 'first');
    logger.raw('Host ready {}');
    // Assess
    expect(lines.map((l) => (l.startsWith('{') ? JSON.parse(l).message : l))).toEqual([
      'first',
      'Host ready {}',
    ]);
  });
});

export interface HostReadyInfo {
  url: string;
  port: number;
  routePrefix: string;
  /** Present only when the host generated the key; a key from settings is never printed. */
  masterKey?: string;
  /** Present only when the host generated the key; a key from settings is never printed. */
  functionKey?: string;
  functions: { name: string; trigger: string; url?: string; disabled?: boolean }[];
}

const prefix = 'Host ready ';

/** The line tools wait for: `Host ready {json}` in text mode, a JSON entry in JSON mode. */
export function formatReadyLine(info: HostReadyInfo, format: 'text' | 'json'): string {
  if (format === 'text') return `${prefix}${JSON.stringify(info)}`;
  return JSON.stringify({
    time: new Date().toISOString(),
    level: 'information',
    category: 'Host.Startup',
    message: 'Host ready',
    ready: info,
  });
}

/**
 * Reads the ready line back, in either format; undefined for any other line.
 *
 * @example
 * parseReadyLine('Host ready {"port":7071,...}')?.port; // 7071
 */
export function parseReadyLine(line: string): HostReadyInfo | undefined {
  const text = line.trim();
  if (text.startsWith(prefix)) return JSON.parse(text.slice(prefix.length)) as HostReadyInfo;
  if (text.startsWith('{') && text.includes('"Host ready"')) {
    const entry = JSON.parse(text) as { message?: string; ready?: HostReadyInfo };
    if (entry.message === 'Host ready') return entry.ready;
  }
  return undefined;
}

// The local Functions host as a library: start it in-process, or read what it prints.

export { type LocalSettings, readLocalSettings } from './readLocalSettings.js';
export { formatReadyLine, type HostReadyInfo, parseReadyLine } from './readyLine.js';
export { type HostOptions, HostStartupError, type RunningHost, startHost } from './startHost.js';

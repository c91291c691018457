import { armErrors } from './armErrors.js';

/** api-versions of Microsoft.Resources (groups, resources, subscriptions, operation results). */
export const RESOURCES_API_VERSIONS = [
  '2025-04-01',
  '2025-03-01',
  '2025-01-01',
  '2024-11-01',
  '2024-07-01',
  '2024-03-01',
  '2023-07-01',
  '2022-12-01',
  '2022-09-01',
  '2022-05-01',
  '2022-03-01',
  '2022-01-01',
  '2021-04-01',
  '2021-01-01',
  '2020-10-01',
  '2020-08-01',
  '2020-06-01',
  '2020-01-01',
  '2019-11-01',
  '2019-10-01',
  '2019-09-01',
  '2019-08-01',
  '2019-07-01',
  '2019-06-01',
  '2019-05-10',
  '2019-05-01',
  '2019-03-01',
  '2018-11-01',
  '2018-09-01',
  '2018-08-01',
  '2018-07-01',
  '2018-06-01',
  '2018-05-01',
  '2018-02-01',
  '2018-01-01',
  '2017-08-01',
  '2017-06-01',
  '2017-05-10',
  '2017-03-01',
  '2016-09-01',
  '2016-07-01',
  '2016-06-01',
  '2016-02-01',
  '2016-01-01',
  '2015-11-01',
  '2015-01-01',
  '2014-04-01-preview',
  '2014-04-01',
  '2014-01-01',
] as const;

/** api-versions of Microsoft.Authorization/locks. */
export const LOCKS_API_VERSIONS = ['2020-05-01', '2017-04-01', '2016-09-01', '2015-01-01'] as const;

const API_VERSION_FORMAT = /^\d{4}-\d{2}-\d{2}(-(preview|alpha|beta|privatepreview))?$/i;

/**
 * Checks an api-version against the versions a family supports, or only against the format for
 * resource providers the emulator models generically.
 *
 * @example
 * checkApiVersion('2099-01-01', RESOURCES_API_VERSIONS); // throws InvalidApiVersionParameter
 */
export function checkApiVersion(apiVersion: string, supported?: readonly string[]): void {
  const valid = supported
    ? supported.includes(apiVersion.toLowerCase())
    : API_VERSION_FORMAT.test(apiVersion);
  if (!valid) throw armErrors.invalidApiVersion(apiVersion, supported ?? []);
}

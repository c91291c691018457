import type { Tags } from './ArmState.js';
import { armErrors } from './armErrors.js';

/** The request body as an object, or ARM's 400 for anything else. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw armErrors.invalidRequestContent('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

/** Tags must be an object of strings; ARM rejects anything else. */
export function optionalTags(value: unknown): Tags | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw armErrors.invalidRequestContent(
      "Error converting value to type 'Dictionary<string, string>'. Path 'tags'.",
    );
  }
  const tags: Tags = {};
  for (const [name, tagValue] of Object.entries(value)) {
    if (typeof tagValue !== 'string') {
      throw armErrors.invalidRequestContent(
        `Unexpected value for tag '${name}'. Path 'tags.${name}'.`,
      );
    }
    tags[name] = tagValue;
  }
  return tags;
}

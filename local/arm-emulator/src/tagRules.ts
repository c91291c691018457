import { ArmError } from './ArmError.js';
import type { Tags } from './ArmState.js';

/**
 * ARM's tag rules. Names are case-insensitive for every write: one key per name, and a write in
 * another case updates that key (its first casing stays). Values are case-sensitive. Limits:
 * 50 tags, names up to 512 characters (128 on storage accounts), values up to 256, and none of
 * `< > % & \ ? /` or control characters in a name. References: MicrosoftDocs/azure-docs,
 * articles/azure-resource-manager/management/tag-resources.md ("Limitations", and "Tag names are
 * case-insensitive for operations"); the codes and messages are ARM's, as Azure/azure-powershell's
 * Az.Migrate cmdlets reproduce them before sending tags on.
 */

export const MAX_TAGS = 50;
export const MAX_TAG_NAME_LENGTH = 512;
export const MAX_TAG_VALUE_LENGTH = 256;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects.
const RESERVED = /[<>%&\\?/\u0000-\u001f\u007f]/;

/** Checks a complete tag set, as it would be stored. */
export function validateTags(tags: Tags, maxNameLength = MAX_TAG_NAME_LENGTH): void {
  const names = Object.keys(tags);
  if (names.length > MAX_TAGS) {
    throw new ArmError(
      400,
      'InvalidTags',
      `Too many tags specified. Requested tag count - '${names.length}'. Maximum number of tags allowed - '${MAX_TAGS}'.`,
    );
  }
  if (names.some((name) => name.trim() === '')) {
    throw new ArmError(
      400,
      'InvalidTagName',
      'The tag name must be non-null, non-empty and non-whitespace only. Please provide an actual value.',
    );
  }
  const reserved = names.filter((name) => RESERVED.test(name));
  if (reserved.length > 0) {
    throw new ArmError(
      400,
      'InvalidTagNameCharacters',
      `The tag names '${reserved.join(', ')}' have reserved characters '<,>,%,&,\\,?,/' or control characters.`,
    );
  }
  const long = names.filter((name) => name.length > maxNameLength);
  if (long.length > 0) {
    throw new ArmError(
      400,
      'InvalidTagName',
      `Tag key too large. Following tag name '${long.join(', ')}' exceeded the maximum length. Maximum allowed length for tag name - '${maxNameLength}' characters.`,
    );
  }
  const longValues = Object.values(tags).filter((value) => value.length > MAX_TAG_VALUE_LENGTH);
  if (longValues.length > 0) {
    throw new ArmError(
      400,
      'InvalidTagValueLength',
      `Tag value too large. Following tag value '${longValues.join(', ')}' exceeded the maximum length. Maximum allowed length for tag value - '${MAX_TAG_VALUE_LENGTH}' characters.`,
    );
  }
}

/** Writes `given` onto `current`: a name in any case updates the existing key. */
export function mergeTags(current: Tags | undefined, given: Tags): Tags {
  const merged: Tags = { ...(current ?? {}) };
  const keyOf = new Map(Object.keys(merged).map((name) => [name.toLowerCase(), name]));
  for (const [name, value] of Object.entries(given)) {
    const key = keyOf.get(name.toLowerCase()) ?? name;
    keyOf.set(name.toLowerCase(), key);
    merged[key] = value;
  }
  return merged;
}

/** One key per name: what a replacing write (PUT, PATCH of `tags`, Replace) stores. */
export function distinctTags(given: Tags): Tags {
  return mergeTags({}, given);
}

/**
 * The tags API's Delete: removes each named tag in any case, when the value given is empty or
 * equals the stored value exactly.
 */
export function deleteTags(current: Tags | undefined, given: Tags): Tags {
  const remaining: Tags = { ...(current ?? {}) };
  for (const [name, value] of Object.entries(given)) {
    for (const key of Object.keys(remaining)) {
      if (key.toLowerCase() === name.toLowerCase() && (value === '' || remaining[key] === value)) {
        delete remaining[key];
      }
    }
  }
  return remaining;
}

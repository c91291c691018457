import { ArmError } from '../ArmError.js';
import type { Tags } from '../ArmState.js';
import { armErrors } from '../armErrors.js';
import { type ArmRequest, type ArmResponse, json } from '../armRequest.js';
import { groupId } from '../armShapes.js';
import type { EmulatorCore } from '../EmulatorCore.js';
import { assertWritable } from '../lockChecks.js';
import { resourceTypeOf } from '../providers/resourceTypes.js';
import { objectBody, optionalTags } from '../requestBodies.js';
import { deleteTags, distinctTags, mergeTags, validateTags } from '../tagRules.js';
import { requireGroup } from './resourceGroups.js';

interface TaggedScope {
  id: string;
  /** The provider's limit on tag names, when below ARM's (storage accounts). */
  maxNameLength?: number;
  get(): Tags | undefined;
  set(tags: Tags): void;
}

/** The tags of a group or of a resource at any depth, addressed by scope segments. */
function resolveTagged(
  core: EmulatorCore,
  segments: string[],
  lower: string[],
  write: boolean,
): TaggedScope {
  const subscriptionId = core.requireSubscription(segments[1] as string);
  if (lower[2] !== 'resourcegroups' || segments.length < 4) {
    throw armErrors.noRoute('', `/${segments.join('/')}`);
  }
  const group = requireGroup(core, subscriptionId, segments[3] as string);
  if (write && group.deleteOperationId) throw armErrors.resourceGroupBeingDeleted(group.name);
  if (segments.length === 4) {
    return {
      id: groupId(group),
      get: () => group.tags,
      set: (tags) => {
        group.tags = tags;
      },
    };
  }
  const rest = segments.slice(6);
  if (lower[4] !== 'providers' || rest.length < 2 || rest.length % 2 !== 0) {
    throw armErrors.noRoute('', `/${segments.join('/')}`);
  }
  const id = `${groupId(group)}/providers/${segments[5]}/${rest.join('/')}`;
  const resource = core.state.getResource(id);
  if (!resource) throw armErrors.resourceNotFound(`${segments[5]}/${rest.join('/')}`, group.name);
  const maxNameLength = resourceTypeOf(resource.type)?.tagNameMaxLength;
  return {
    id: resource.id,
    ...(maxNameLength ? { maxNameLength } : {}),
    get: () => resource.tags,
    set: (tags) => {
      resource.tags = tags;
    },
  };
}

const shape = (scopeId: string, tags: Tags | undefined) => ({
  id: `${scopeId}/providers/Microsoft.Resources/tags/default`,
  name: 'default',
  type: 'Microsoft.Resources/tags',
  properties: { tags: tags ?? {} },
});

/**
 * `{scope}/providers/Microsoft.Resources/tags/default`: read, replace, merge or delete the tags
 * of a group or resource without touching the rest of it.
 */
export function handleTags(
  core: EmulatorCore,
  req: ArmRequest,
  segments: string[],
  lower: string[],
): ArmResponse {
  const write = req.method !== 'GET';
  const scope = resolveTagged(core, segments, lower, write);
  if (write) assertWritable(core.state, scope.id, req.path);
  const body = objectBody(req.body);
  const given = optionalTags(objectBody(body.properties).tags) ?? {};
  const store = (tags: Record<string, string>) => {
    validateTags(tags, scope.maxNameLength);
    scope.set(tags);
  };
  switch (req.method) {
    case 'GET':
      return json(200, shape(scope.id, scope.get()));
    case 'PUT':
      store(distinctTags(given));
      break;
    case 'PATCH': {
      const operation = String(body.operation ?? '').toLowerCase();
      if (operation === 'merge') store(mergeTags(scope.get(), given));
      else if (operation === 'replace') store(distinctTags(given));
      else if (operation === 'delete') store(deleteTags(scope.get(), given));
      else {
        throw new ArmError(
          400,
          'InvalidTagOperation',
          "The tag operation must be 'Merge', 'Replace' or 'Delete'.",
        );
      }
      break;
    }
    case 'DELETE':
      scope.set({});
      core.state.changed();
      return json(200);
    default:
      throw armErrors.methodNotAllowed(req.method);
  }
  core.state.changed();
  return json(200, shape(scope.id, scope.get()));
}

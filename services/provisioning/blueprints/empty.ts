import { z } from 'zod';
import { defineBlueprint } from './Blueprint.js';

/** The resource group alone, tagged: for people who bring their own templates. */
export const empty = defineBlueprint({
  name: 'empty',
  description: 'The resource group alone.',
  parameters: z.object({}).strict(),
  resources: () => [],
});

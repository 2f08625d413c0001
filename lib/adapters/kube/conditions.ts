import * as z from '../../core/validation';

/** metav1.Condition, as Flux objects report them in status.conditions. */
export const conditionSchema = z.looseObject({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.optional(z.string()),
  message: z.optional(z.string()),
  lastTransitionTime: z.optional(z.string()),
});

export const conditionsSchema = z.optional(z.array(conditionSchema));

/** The Ready condition of a Flux object; absent before the controller has reconciled it once. */
export interface ReadyCondition {
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  since?: string;
}

export function readyCondition(conditions: z.infer<typeof conditionsSchema>): ReadyCondition | undefined {
  const ready = conditions?.find((condition) => condition.type === 'Ready');
  if (!ready) return undefined;
  return {
    status: ready.status,
    ...(ready.reason ? { reason: ready.reason } : {}),
    ...(ready.message ? { message: ready.message } : {}),
    ...(ready.lastTransitionTime ? { since: ready.lastTransitionTime } : {}),
  };
}

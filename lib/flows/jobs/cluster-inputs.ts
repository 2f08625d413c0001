import * as z from '../../core/validation';

/** The Kubernetes identity a job runs as on a cluster: the asking channel's binding (`slack.channels`). */
export const impersonationSchema = z.object({ user: z.optional(z.string()), group: z.optional(z.string()) });

/** A cluster a job reads, with the identity the asking channel may use there. */
export const clusterInputSchema = z.object({ name: z.string(), impersonate: z.optional(impersonationSchema) });

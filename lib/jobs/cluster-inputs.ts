import { z } from 'zod';

/** The Kubernetes identity a job runs as on a cluster: the asking channel's binding (`slack.channels`). */
export const impersonationSchema = z.object({ user: z.string().optional(), group: z.string().optional() });

/** A cluster a job reads, with the identity the asking channel may use there. */
export const clusterInputSchema = z.object({ name: z.string(), impersonate: impersonationSchema.optional() });

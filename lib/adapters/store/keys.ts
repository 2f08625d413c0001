// The single-table layout of DESIGN §2. Nothing outside lib/adapters/store builds these strings.
export const keys = {
  delivery: (appId: string, deliveryId: string) => ({ pk: `DELIVERY#${appId}#${deliveryId}`, sk: 'DELIVERY' }),
  notice: (repository: string, number: number) => ({ pk: `PR#${repository}#${number}`, sk: 'NOTICE' }),
  job: (id: string) => ({ pk: `JOB#${id}`, sk: 'JOB' }),
  jobResult: (id: string) => ({ pk: `JOB#${id}`, sk: 'RESULT' }),
  pullRequestIndex: (repository: string, number: number) => `PR#${repository}#${number}`,
  /** One object on one cluster: `LATEST` points at its newest successful deployment, `AT#<iso>` keeps each. */
  deployment: (cluster: string, object: string) => `DEPLOY#${cluster}#${object}`,
  /** Not `APP#…`: that is the jobs index of an app (jobs.ts subjectIndex), and a query would mix the two. */
  deploymentsOfApp: (app: string) => `DEPLOYS#APP#${app}`,
  latestOnCluster: (cluster: string) => `LATEST#${cluster}`,
  rollout: (cluster: string, jobId: string) => ({ pk: `ROLLOUT#${cluster}`, sk: `JOB#${jobId}` }),
  alert: (cluster: string, object: string, reason: string) => ({ pk: `ALERT#${cluster}#${object}#${reason}`, sk: 'ALERT' }),
  /** The redelivery sweep of one GitHub App: its high-water mark and its lease (lib/adapters/store/redeliveries.ts). */
  redeliverySweep: (appId: string) => ({ pk: `REDELIVERY#${appId}`, sk: 'SWEEP' }),
  /** What the sweep asked GitHub to redeliver for one event (X-GitHub-Delivery guid). */
  redelivery: (appId: string, guid: string) => ({ pk: `REDELIVERY#${appId}#${guid}`, sk: 'GUID' }),
  /** The last accepted click of one button (or one menu choice) on one message (lib/adapters/store/clicks.ts). */
  click: (button: string) => ({ pk: `CLICK#${button}`, sk: 'CLICK' }),
  /** One visible effect that the remote end does not make idempotent: its intent, then its result (lib/adapters/store/effects.ts). */
  effect: (id: string) => ({ pk: `EFFECT#${id}`, sk: 'EFFECT' }),
  audit: (at: Date, id: string) => ({ pk: `AUDIT#${at.toISOString().slice(0, 10)}`, sk: `${at.toISOString()}#${id}` }),
} as const;

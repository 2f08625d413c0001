// The single-table layout of DESIGN §2. Nothing outside lib/store builds these strings.
export const keys = {
  delivery: (appId: string, deliveryId: string) => ({ pk: `DELIVERY#${appId}#${deliveryId}`, sk: 'DELIVERY' }),
  notice: (repository: string, number: number) => ({ pk: `PR#${repository}#${number}`, sk: 'NOTICE' }),
  job: (id: string) => ({ pk: `JOB#${id}`, sk: 'JOB' }),
  jobResult: (id: string) => ({ pk: `JOB#${id}`, sk: 'RESULT' }),
  pullRequestIndex: (repository: string, number: number) => `PR#${repository}#${number}`,
  audit: (at: Date, id: string) => ({ pk: `AUDIT#${at.toISOString().slice(0, 10)}`, sk: `${at.toISOString()}#${id}` }),
} as const;

export const emulatorDir: string;
export function installDynamoDbLocal(options?: { log?: (line: string) => void }): Promise<string>;
export function freePort(): Promise<number>;
export function startDynamoDbLocal(options?: { port?: number; log?: (line: string) => void }): Promise<{ endpoint: string; stop: () => Promise<void>; pid: number | undefined }>;

export { processJob, type WorkerDeps } from './process-job';

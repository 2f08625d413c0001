export { processJob } from './process-job';

// GET /health?deep=1: is this stage set up? Every parameter and config.yaml, read once, each problem named.
export { checkReadiness, type ReadinessDeps, type ReadinessReport } from './check';

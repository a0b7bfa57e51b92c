/** The reasons the engine writes on jobs live in src/shared, so the job page can put them in words. */
export { REASONS, LEASE_EXPIRED_PREFIX } from '../../shared/job-reasons';

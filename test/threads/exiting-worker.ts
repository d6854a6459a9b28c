// A pool worker for the tests that ends its thread in the middle of a job.
import { serveJobs } from '../../src/threads/serve.js';

serveJobs((code: number) => process.exit(code));

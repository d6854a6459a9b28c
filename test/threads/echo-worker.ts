// A pool worker for the tests: answers each number with its double.
import { serveJobs } from '../../src/threads/serve.js';

serveJobs((n: number) => n * 2);

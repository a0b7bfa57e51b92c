import { it } from 'vitest';
import { memoryBench } from './lib/memory';

// One subject per file: vitest runs each bench file in a fresh worker process. The second of
// memory-tickr / memory-bullmq to finish prints the comparison (see lib/memory.ts).
it('memory: a BullMQ worker and queue', () => memoryBench('bullmq'));

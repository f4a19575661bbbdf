import { createMemoryEngine } from './memory-engine';
import { runRunFeedContract } from './testing/run-feed-contract';

runRunFeedContract('memory', ({ retention }) => createMemoryEngine({ retention }));

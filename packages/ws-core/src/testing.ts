export { FakeTransport, type FakeTransportOptions } from './testing/fake-transport';
export {
  runStreamEngineContract,
  type StreamEngineContractOptions,
  type StreamEngineFactory,
} from './testing/stream-engine-contract';
export { runRunFeedContract, type RunFeedContractOptions } from './testing/run-feed-contract';

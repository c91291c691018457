import { InMemoryRecordStore } from '../../../support/fakes/InMemoryRecordStore.js';
import { recordStoreContract } from '../../../support/fakes/recordStoreContract.js';

// The fake the service tests use keeps the same contract as BlobRecordStore (see the integration
// test, which runs the same suite against Azurite).
recordStoreContract('InMemoryRecordStore', async () => new InMemoryRecordStore());

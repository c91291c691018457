import { InMemoryTableStore } from '../../../support/fakes/InMemoryTableStore.js';
import { tableStoreContract } from '../../../support/fakes/tableStoreContract.js';

// The fake the service tests use keeps the same contract as AzureTableStore (see the integration
// test, which runs the same suite against Azurite).
tableStoreContract('InMemoryTableStore', async () => new InMemoryTableStore());

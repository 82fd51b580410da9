package dev.hedge.chain;

/** The contract on {@link InMemoryChainStore}. */
class InMemoryChainStoreContractTests extends AbstractChainStoreContractTests {

	@Override
	protected ChainStore create(ChainStoreOptions options) {
		return new InMemoryChainStore(options);
	}

	@Override
	protected ChainStore reopen(ChainStore store) {
		return store;
	}

}

package dev.hedge.store.mvstore;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hedge.chain.ChainStorage;
import dev.hedge.chain.ChainStore;
import dev.hedge.chain.ChainStoreOptions;

import static org.assertj.core.api.Assertions.assertThat;

/** The incarnation rules of a member's file storage ({@code hedge.chain.directory}). */
class MvStoreChainStorageTests {

	@Test
	void aFileKeepsItsIncarnationAcrossReopensAndAWipeEmptiesItKeepingTheIncarnation(@TempDir Path directory) {
		ChainStorage storage = MvStoreChainStore.storage(directory, ChainStoreOptions.DEFAULTS);
		ChainStorage.Opened first = storage.open();
		assertThat(first.store().isDurable()).isTrue();
		first.store().stage("k", 1, new byte[] { 1 }, "w1");
		first.store().close();
		ChainStorage.Opened again = MvStoreChainStore.storage(directory, ChainStoreOptions.DEFAULTS).open();
		assertThat(again.incarnation()).isEqualTo(first.incarnation());
		assertThat(again.store().entry("k")).isPresent();
		ChainStore wiped = storage.wipe(again.store());
		assertThat(wiped.stats().keys()).isZero();
		wiped.close();
		assertThat(MvStoreChainStore.storage(directory, ChainStoreOptions.DEFAULTS).open())
			.satisfies((opened) -> {
				assertThat(opened.incarnation()).isEqualTo(first.incarnation());
				opened.store().close();
			});
	}

	@Test
	void aNewFileOrAFileWithoutItsIncarnationIsANewIncarnationAndStartsEmpty(@TempDir Path directory)
			throws Exception {
		ChainStorage.Opened first = MvStoreChainStore.storage(directory, ChainStoreOptions.DEFAULTS).open();
		first.store().stage("k", 1, new byte[] { 1 }, "w1");
		first.store().close();
		Files.delete(directory.resolve(MvStoreChainStorage.INCARNATION_FILE));
		ChainStorage.Opened orphan = MvStoreChainStore.storage(directory, ChainStoreOptions.DEFAULTS).open();
		assertThat(orphan.incarnation()).isNotEqualTo(first.incarnation());
		assertThat(orphan.store().entry("k")).as("data of an unknown incarnation is dropped").isEmpty();
		orphan.store().close();
		Files.delete(directory.resolve(MvStoreChainStorage.STORE_FILE));
		ChainStorage.Opened fresh = MvStoreChainStore.storage(directory, ChainStoreOptions.DEFAULTS).open();
		assertThat(fresh.incarnation()).isNotEqualTo(orphan.incarnation());
		fresh.store().close();
	}

}

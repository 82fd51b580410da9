package dev.hedge.crdt;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The lattice and delta laws, checked on generated runs of 2 to 5 replicas (see {@link PropertyChecks} for the seed
 * and the number of cases). Each subclass names the type.
 *
 * @param <T> the type
 */
abstract class AbstractLawsTests<T extends ReplicatedData<T>> {

	abstract Model<T> model();

	@Test
	void mergeIsCommutativeAssociativeAndIdempotent() {
		PropertyChecks.forAll(model(), "lattice", Laws::lattice);
	}

	@Test
	void mergeOnlyInflatesAndTheEmptyValueIsItsIdentity() {
		PropertyChecks.forAll(model(), "inflation", Laws::inflation);
	}

	@Test
	void everyDeltaMergedIntoAStateThatSawTheOldStateGivesTheNewState() {
		PropertyChecks.forAll(model(), "delta law", Laws::deltas);
	}

	@Test
	void replicasExchangingOnlyDeltasHoldWhatReplicasExchangingFullStatesHold() {
		PropertyChecks.forAll(model(), "deltas equal full states", Laws::deltasEqualFullStates);
	}

	@Test
	void deltasDeliveredLateReorderedAndDuplicatedConverge() {
		PropertyChecks.forAll(model(), "deltas in any order", Laws::deltasInAnyOrderConverge);
	}

	@Test
	void pruningARemovedReplicaChangesNoValue() {
		assumeThat(model().prunable()).as("the type keeps no per-replica state").isTrue();
		PropertyChecks.forAll(model(), "pruning", Laws::pruningChangesNoValue);
	}

	@Test
	void chunksOfASplitMergeBackToTheWhole() {
		assumeThat(model().split(model().initial(), 1)).as("the type has no split").isNotNull();
		PropertyChecks.forAll(model(), "split", Laws::splitChunksMergeBack);
	}

}

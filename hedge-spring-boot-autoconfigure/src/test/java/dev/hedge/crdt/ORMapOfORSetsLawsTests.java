package dev.hedge.crdt;

/** The laws of {@link ORMap} with nested causal sets (whose own dots restart when a key is re-created). */
class ORMapOfORSetsLawsTests extends AbstractLawsTests<ORMap<String, ORSet<String>>> {

	@Override
	Model<ORMap<String, ORSet<String>>> model() {
		return Models.orMap(Models.orSet());
	}

}

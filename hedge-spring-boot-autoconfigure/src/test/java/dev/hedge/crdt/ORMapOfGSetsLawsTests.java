package dev.hedge.crdt;

/** The laws of {@link ORMap} with nested sets. */
class ORMapOfGSetsLawsTests extends AbstractLawsTests<ORMap<String, GSet<String>>> {

	@Override
	Model<ORMap<String, GSet<String>>> model() {
		return Models.orMap(Models.gSet());
	}

}

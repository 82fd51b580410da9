package dev.hedge.crdt;

/** The laws of {@link ORSet}. */
class ORSetLawsTests extends AbstractLawsTests<ORSet<String>> {

	@Override
	Model<ORSet<String>> model() {
		return Models.orSet();
	}

}

package dev.hedge.crdt;

/** The laws of {@link GSet}. */
class GSetLawsTests extends AbstractLawsTests<GSet<String>> {

	@Override
	Model<GSet<String>> model() {
		return Models.gSet();
	}

}

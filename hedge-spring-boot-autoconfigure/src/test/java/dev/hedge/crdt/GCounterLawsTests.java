package dev.hedge.crdt;

/** The laws of {@link GCounter}. */
class GCounterLawsTests extends AbstractLawsTests<GCounter> {

	@Override
	Model<GCounter> model() {
		return Models.gCounter();
	}

}

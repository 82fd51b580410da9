package dev.hedge.crdt;

/** The laws of {@link PNCounter}. */
class PNCounterLawsTests extends AbstractLawsTests<PNCounter> {

	@Override
	Model<PNCounter> model() {
		return Models.pnCounter();
	}

}

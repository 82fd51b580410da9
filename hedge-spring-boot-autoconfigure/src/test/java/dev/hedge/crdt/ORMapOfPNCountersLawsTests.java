package dev.hedge.crdt;

/** The laws of {@link ORMap} with nested counters (pruned along with the map). */
class ORMapOfPNCountersLawsTests extends AbstractLawsTests<ORMap<String, PNCounter>> {

	@Override
	Model<ORMap<String, PNCounter>> model() {
		return Models.orMap(Models.pnCounter());
	}

}

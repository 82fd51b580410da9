package dev.hedge.crdt;

/** The laws of {@link LWWRegister}. */
class LWWRegisterLawsTests extends AbstractLawsTests<LWWRegister<String>> {

	@Override
	Model<LWWRegister<String>> model() {
		return Models.lwwRegister();
	}

}

package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A merge's inputs share one bound on the bytes of theirs kept resident, not one bound each. */
class CompactorResidentBudgetTest {
    @Test
    void theInputsShareTheBound() {
        assertEquals(Compactor.RESIDENT_INPUTS_BYTES_MAX, Compactor.residentBytesPerInput(1));
        for (int inputs = 1; inputs <= Compactor.RESIDENT_INPUTS_BYTES_MAX / Compactor.RESIDENT_INPUT_BYTES_MIN; inputs++) {
            assertTrue(inputs * Compactor.residentBytesPerInput(inputs) <= Compactor.RESIDENT_INPUTS_BYTES_MAX, inputs + " inputs");
        }
        assertEquals(Compactor.RESIDENT_INPUTS_BYTES_MAX / 4, Compactor.residentBytesPerInput(4));
    }

    @Test
    void manyInputsKeepAShareWorthAMadviseCall() {
        assertEquals(Compactor.RESIDENT_INPUT_BYTES_MIN, Compactor.residentBytesPerInput(1_000));
        assertEquals(Compactor.RESIDENT_INPUTS_BYTES_MAX, Compactor.residentBytesPerInput(0));
    }
}

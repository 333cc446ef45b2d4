package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sundial.core.FieldType;
import io.sundial.storage.index.CatalogOptions;
import io.sundial.storage.index.FieldRef;
import io.sundial.storage.index.FieldTypeConflictException;
import io.sundial.storage.index.SeriesCatalog;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch's field memo answers exactly what the catalog answers, whatever order rows come in. */
class BatchFieldsTest {
    @TempDir
    Path dir;
    private SeriesCatalog catalog;

    @BeforeEach
    void open() throws Exception {
        catalog = SeriesCatalog.open(dir, CatalogOptions.defaults());
    }

    @AfterEach
    void close() throws Exception {
        catalog.close();
    }

    /** Rows cycling through many metrics (remote write's scrape order) get each metric's own field. */
    @Test
    void rowsCyclingThroughMetricsGetTheirOwnFields() {
        BatchFields fields = new BatchFields(catalog);
        int metrics = 150; // more than the memo's slots: collisions must fall back to the catalog
        for (int round = 0; round < 3; round++) {
            for (int m = 0; m < metrics; m++) {
                // New String instances every round: equality, not identity, decides.
                String measurement = new String("metric_" + m);
                FieldRef ref = fields.resolve(measurement, new String("value"), FieldType.FLOAT, 0);
                assertEquals("metric_" + m, ref.measurement());
                assertEquals("value", ref.name());
                assertSame(catalog.field("metric_" + m, "value", FieldType.FLOAT), ref);
            }
        }
    }

    /** A remembered ref never hides a type conflict: the catalog refuses it as without the memo. */
    @Test
    void typeConflictAfterARememberedFieldIsRefused() {
        BatchFields fields = new BatchFields(catalog);
        fields.resolve("cpu", "value", FieldType.FLOAT, 0);
        fields.resolve("mem", "value", FieldType.FLOAT, 0);
        assertThrows(FieldTypeConflictException.class, () -> fields.resolve("cpu", "value", FieldType.INTEGER, 0));
        assertThrows(FieldTypeConflictException.class, () -> fields.resolve("cpu", "value", FieldType.INTEGER, 1));
        assertEquals(FieldType.FLOAT, fields.resolve("cpu", "value", FieldType.FLOAT, 0).type());
    }

    /** Same measurement, several fields at several positions (line protocol's shape). */
    @Test
    void fieldsOfOneMeasurementByPosition() {
        BatchFields fields = new BatchFields(catalog);
        for (int row = 0; row < 3; row++) {
            for (int f = 0; f < 20; f++) {
                FieldRef ref = fields.resolve("cpu", "f" + f, FieldType.FLOAT, f);
                assertEquals("f" + f, ref.name());
                assertSame(catalog.field("cpu", "f" + f, FieldType.FLOAT), ref);
            }
        }
    }
}

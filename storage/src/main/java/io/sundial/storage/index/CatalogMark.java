package io.sundial.storage.index;

/**
 * A point in the catalog's history: the next series id and next field id at the time it was
 * taken. Ids are handed out in increasing order, so "what was created between two marks" is
 * the id ranges between them (see {@link SeriesCatalog#forEachSeriesBetween}).
 */
public record CatalogMark(int nextSeriesId, int nextFieldId) {
    public static final CatalogMark ORIGIN = new CatalogMark(0, 0);
}

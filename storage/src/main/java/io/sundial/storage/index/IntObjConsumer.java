package io.sundial.storage.index;

/** Receives an int id with its object, without boxing the id. */
@FunctionalInterface
public interface IntObjConsumer<T> {
    void accept(int id, T value);
}

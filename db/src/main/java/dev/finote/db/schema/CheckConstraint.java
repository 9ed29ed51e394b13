package dev.finote.db.schema;

/** A check constraint; {@code definition} is {@code pg_get_constraintdef} without a trailing NOT VALID, e.g. {@code CHECK ((price > 0))}. */
public record CheckConstraint(String name, String definition) {
}

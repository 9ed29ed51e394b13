package dev.finote.db.schema;

/** A schema besides {@code public} ({@code CREATE SCHEMA}); the objects in it are keyed {@code schema.name}. */
public record Namespace(String name) {
}

package dev.finote.db.schema;

/** An installed extension (plpgsql, present in every database, is left out). Its version is not compared: servers differ. */
public record Extension(String name, String schema) {
}

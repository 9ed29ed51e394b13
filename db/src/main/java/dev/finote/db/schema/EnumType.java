package dev.finote.db.schema;

import java.util.List;

/** An enum type with its labels in sort order. */
public record EnumType(String name, List<String> labels) {
    public EnumType {
        labels = List.copyOf(labels);
    }
}
